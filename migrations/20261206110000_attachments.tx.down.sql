DROP TABLE attachment_contents;
--bun:split
DROP TABLE attachments;
