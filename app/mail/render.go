package mail

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"strings"
	texttemplate "text/template"
	"time"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
	"assistant-declaration/views"
)

// Bodies and layouts are parsed once from the embedded views; a broken template
// stops the program at start-up rather than at the first email.
var (
	htmlLayout = htmltemplate.Must(htmltemplate.ParseFS(views.FS, "emails/layout.html"))
	textLayout = texttemplate.Must(texttemplate.ParseFS(views.FS, "emails/layout.txt"))
	htmlBodies = map[string]*htmltemplate.Template{}
	textBodies = map[string]*texttemplate.Template{}
)

func init() {
	paths, err := fs.Glob(views.FS, "emails/*")
	if err != nil {
		panic(err)
	}
	for _, path := range paths {
		base := strings.TrimPrefix(path, "emails/")
		switch {
		case strings.HasPrefix(base, "layout."):
		case strings.HasSuffix(base, ".html"):
			htmlBodies[strings.TrimSuffix(base, ".html")] = parseHTMLBody(path)
		case strings.HasSuffix(base, ".txt"):
			textBodies[strings.TrimSuffix(base, ".txt")] = texttemplate.Must(texttemplate.ParseFS(views.FS, path))
		}
	}
}

// buttonPartial is the call-to-action partial the HTML bodies share, named as
// the web engine names it (which parses every view, emails included).
const buttonPartial = "emails/partials/button"

// parseHTMLBody parses an HTML body with the partials it may call.
func parseHTMLBody(path string) *htmltemplate.Template {
	partial, err := fs.ReadFile(views.FS, buttonPartial+".html")
	if err != nil {
		panic(err)
	}
	body, err := fs.ReadFile(views.FS, path)
	if err != nil {
		panic(err)
	}
	t := htmltemplate.Must(htmltemplate.New(buttonPartial).Parse(string(partial)))
	return htmltemplate.Must(t.New(path).Parse(string(body)))
}

// layoutData is what emails/layout.{html,txt} receive: the rendered body and
// the footer's year. The body is composed in Go rather than with {{define}}
// because the web engine parses every view into one namespace.
type layoutData struct {
	Subject string
	Body    any
	Year    int
}

// Render validates t and renders its subject, plain-text and HTML versions.
// User input in t is escaped in the HTML version by html/template.
func Render(t Template) (subject, text, html string, err error) {
	defer derrors.Wrap(&err, "mail: render %T", t)
	if err := t.validate(); err != nil {
		return "", "", "", err
	}
	name := t.name()
	hb, tb := htmlBodies[name], textBodies[name]
	if hb == nil || tb == nil {
		return "", "", "", fmt.Errorf("mail: missing views/emails/%s.html or .txt", name)
	}
	// Header values cannot hold line breaks; organization names come from users.
	subject = strings.Join(strings.Fields(t.subject()), " ")
	year := time.Now().In(locale.Paris).Year()

	var body, out bytes.Buffer
	if err := hb.Execute(&body, t); err != nil {
		return "", "", "", fmt.Errorf("mail: %s.html: %w", name, err)
	}
	// The body was produced by html/template, so it is already escaped.
	data := layoutData{Subject: subject, Body: htmltemplate.HTML(body.String()), Year: year}
	if err := htmlLayout.Execute(&out, data); err != nil {
		return "", "", "", fmt.Errorf("mail: layout.html: %w", err)
	}
	html = out.String()

	body.Reset()
	out.Reset()
	if err := tb.Execute(&body, t); err != nil {
		return "", "", "", fmt.Errorf("mail: %s.txt: %w", name, err)
	}
	data.Body = strings.TrimSpace(body.String())
	if err := textLayout.Execute(&out, data); err != nil {
		return "", "", "", fmt.Errorf("mail: layout.txt: %w", err)
	}
	return subject, out.String(), html, nil
}

// Compose renders t into a Message for one recipient. Callers that need a
// reply-to or attachments set them on the result before EnqueueMessage.
func Compose(to string, t Template) (_ Message, err error) {
	defer derrors.Wrap(&err, "mail: compose %T", t)
	subject, text, html, err := Render(t)
	if err != nil {
		return Message{}, err
	}
	return Message{Template: t.name(), To: []string{to}, Subject: subject, Text: text, HTML: html}, nil
}
