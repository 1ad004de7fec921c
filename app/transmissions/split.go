package transmissions

import "assistant-declaration/app/mail"

// messageOverhead is what an e-mail weighs besides its attachments: headers,
// bodies, MIME boundaries.
const messageOverhead = 64 << 10

// encodedSize is what a file weighs once attached: base64 grows it by a
// third, plus line breaks and its part's headers.
func encodedSize(a mail.Attachment) int {
	n := len(a.Content)
	return (n+2)/3*4 + n/57*2 + 512
}

// split spreads files over as few e-mails as fit in max bytes each, in their
// order (the PDF first). A file too large alone still gets an e-mail of its own.
func split(files []mail.Attachment, max int) [][]mail.Attachment {
	var out [][]mail.Attachment
	var current []mail.Attachment
	size := messageOverhead
	for _, f := range files {
		n := encodedSize(f)
		if len(current) > 0 && size+n > max {
			out = append(out, current)
			current, size = nil, messageOverhead
		}
		current = append(current, f)
		size += n
	}
	if len(current) > 0 {
		out = append(out, current)
	}
	return out
}
