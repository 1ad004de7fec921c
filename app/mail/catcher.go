package mail

import (
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/textproto"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"assistant-declaration/app/derrors"
)

// catcherCapacity bounds the catcher's memory: older messages are forgotten.
const catcherCapacity = 500

// CaughtMail is one message received by the Catcher.
type CaughtMail struct {
	// To holds the envelope recipients: who the message was really sent to.
	To          []string           `json:"to"`
	From        string             `json:"from"`
	ReplyTo     string             `json:"reply_to"`
	Subject     string             `json:"subject"`
	Text        string             `json:"text"`
	HTML        string             `json:"html"`
	Links       []string           `json:"links"`
	Attachments []CaughtAttachment `json:"attachments"`
	ReceivedAt  time.Time          `json:"received_at"`
}

// CaughtAttachment is a file attached to a CaughtMail.
type CaughtAttachment struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
	Content     []byte `json:"-"`
}

// Catcher is an in-process SMTP server for development and tests: it accepts
// every message (with or without AUTH, any password), delivers nothing and
// keeps the last messages in memory for the /dev/mails page and for tests.
type Catcher struct {
	server   *smtp.Server
	addr     *net.TCPAddr
	mu       sync.Mutex
	messages []CaughtMail // oldest first
}

// NewCatcher listens on addr (":0" or "127.0.0.1:0" picks a free port, see
// Addr) and serves SMTP until Close.
func NewCatcher(addr string) (*Catcher, error) {
	c := &Catcher{}
	c.server = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &catcherSession{catcher: c}, nil
	}))
	c.server.Domain = "localhost"
	c.server.AllowInsecureAuth = true
	c.server.MaxMessageBytes = 30 << 20
	c.server.ReadTimeout = time.Minute
	c.server.WriteTimeout = time.Minute
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mail: catcher: %w", err)
	}
	c.addr = ln.Addr().(*net.TCPAddr)
	go func() { _ = c.server.Serve(ln) }()
	return c, nil
}

// Addr is the address the catcher listens on, with the real port.
func (c *Catcher) Addr() string { return c.addr.String() }

// SMTP is the server to send to for the catcher to receive: no TLS (local).
func (c *Catcher) SMTP() SMTP {
	return SMTP{Host: c.addr.IP.String(), Port: c.addr.Port, TLS: TLSNone, Timeout: 5 * time.Second}
}

// Close stops the server.
func (c *Catcher) Close() error {
	if err := c.server.Close(); err != nil {
		return fmt.Errorf("mail: close the catcher: %w", err)
	}
	return nil
}

// Messages returns the caught messages, newest first.
func (c *Catcher) Messages() []CaughtMail {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := slices.Clone(c.messages)
	slices.Reverse(out)
	return out
}

func (c *Catcher) add(m CaughtMail) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.messages = append(c.messages, m)
	if over := len(c.messages) - catcherCapacity; over > 0 {
		c.messages = slices.Delete(c.messages, 0, over)
	}
}

// catcherSession collects one SMTP transaction.
type catcherSession struct {
	catcher *Catcher
	from    string
	to      []string
}

func (s *catcherSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *catcherSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(string, string, string) error { return nil }), nil
}

func (s *catcherSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *catcherSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *catcherSession) Data(r io.Reader) error {
	m, err := parseMail(r)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "unreadable message: " + err.Error()}
	}
	m.To = slices.Clone(s.to)
	m.ReceivedAt = time.Now()
	s.catcher.add(m)
	return nil
}

func (s *catcherSession) Reset() { s.from, s.to = "", nil }

func (s *catcherSession) Logout() error { return nil }

// parseMail reads an RFC 5322 message into a CaughtMail (without envelope).
func parseMail(r io.Reader) (_ CaughtMail, err error) {
	defer derrors.Wrap(&err, "mail: parse a caught mail")
	msg, err := netmail.ReadMessage(r)
	if err != nil {
		return CaughtMail{}, err
	}
	var dec mime.WordDecoder
	var m CaughtMail
	if m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return CaughtMail{}, err
	}
	if m.From, err = dec.DecodeHeader(msg.Header.Get("From")); err != nil {
		return CaughtMail{}, err
	}
	if m.ReplyTo, err = dec.DecodeHeader(msg.Header.Get("Reply-To")); err != nil {
		return CaughtMail{}, err
	}
	if err := m.readPart(textproto.MIMEHeader(msg.Header), msg.Body); err != nil {
		return CaughtMail{}, err
	}
	m.Links = extractLinks(m.HTML, m.Text)
	return m, nil
}

// readPart walks a MIME part: the first text/plain and text/html leaves are the
// bodies, leaves with a file name or an attachment disposition are attachments.
func (m *CaughtMail) readPart(header textproto.MIMEHeader, body io.Reader) (err error) {
	defer derrors.Wrap(&err, "mail: read a part of a caught mail")
	contentType := header.Get("Content-Type")
	if contentType == "" {
		contentType = "text/plain"
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := m.readPart(part.Header, part); err != nil {
				return err
			}
		}
	}
	content, err := io.ReadAll(decodeTransfer(header.Get("Content-Transfer-Encoding"), body))
	if err != nil {
		return err
	}
	disposition, dparams, _ := mime.ParseMediaType(header.Get("Content-Disposition"))
	filename := dparams["filename"]
	if filename == "" {
		filename = params["name"]
	}
	switch {
	case disposition == "attachment" || filename != "":
		var dec mime.WordDecoder
		if decoded, err := dec.DecodeHeader(filename); err == nil {
			filename = decoded
		}
		m.Attachments = append(m.Attachments, CaughtAttachment{Filename: filename, ContentType: mediaType,
			Size: len(content), Content: content})
	// SMTP carries CRLF line ends; bodies are given back as they were written.
	case mediaType == "text/plain" && m.Text == "":
		m.Text = strings.ReplaceAll(string(content), "\r\n", "\n")
	case mediaType == "text/html" && m.HTML == "":
		m.HTML = strings.ReplaceAll(string(content), "\r\n", "\n")
	}
	return nil
}

func decodeTransfer(encoding string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "base64":
		// The decoder skips the line breaks of wrapped base64.
		return base64.NewDecoder(base64.StdEncoding, r)
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	}
	return r
}

var (
	hrefPattern = regexp.MustCompile(`(?i)\bhref\s*=\s*["']([^"']+)["']`)
	urlPattern  = regexp.MustCompile(`https?://[^\s<>"']+`)
)

// extractLinks lists the href targets of htmlBody then the URLs of text, each
// once, in order of appearance, so tests can follow an email's button.
func extractLinks(htmlBody, text string) []string {
	var links []string
	seen := map[string]bool{}
	addLink := func(l string) {
		if l != "" && !seen[l] {
			seen[l] = true
			links = append(links, l)
		}
	}
	for _, match := range hrefPattern.FindAllStringSubmatch(htmlBody, -1) {
		addLink(html.UnescapeString(match[1]))
	}
	for _, u := range urlPattern.FindAllString(text, -1) {
		addLink(strings.TrimRight(u, ".,;:!?)]"))
	}
	return links
}
