DROP TABLE email_outbox_attachments;
--bun:split
DROP TABLE email_outbox;
