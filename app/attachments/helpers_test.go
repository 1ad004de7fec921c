package attachments_test

import (
	"archive/zip"
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/audit"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/series"
)

// file is one part of an upload.
type file struct {
	name    string
	content []byte
}

// pdf returns a small PDF, padded with a comment to size bytes when size is
// larger.
func pdf(size int) []byte {
	b := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	if size > len(b) {
		b = append(b, '%')
		b = append(b, bytes.Repeat([]byte("x"), size-len(b))...)
	}
	return b
}

// pngImage returns a 2×2 PNG.
func pngImage(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{R: 255, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// docx returns a minimal Word document: the parts Word itself writes first.
func docx(t *testing.T) []byte {
	t.Helper()
	return zipOf(t, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
			`<w:body><w:p><w:r><w:t>Contrat de cession</w:t></w:r></w:p></w:body></w:document>`,
	}, "[Content_Types].xml", "_rels/.rels", "word/document.xml")
}

// zipOf writes the entries in order.
func zipOf(t *testing.T, entries map[string]string, order ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, name := range order {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(f, entries[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// executable is the start of a Windows program: an MZ header pointing at a PE
// header.
func executable() []byte {
	b := make([]byte, 512)
	copy(b, "MZ")
	b[0x3c] = 0x80
	copy(b[0x80:], "PE\x00\x00")
	return b
}

// env is an organization with a collaborator signed in and a serie.
type env struct {
	*apptest.Harness
	cl     *apptest.Client
	userID uuid.UUID
	org    uuid.UUID
	serie  uuid.UUID
}

func newEnv(t *testing.T, h *apptest.Harness) *env {
	t.Helper()
	e := &env{Harness: h, userID: h.CreateUser(apptest.UniqueEmail("attachments"), false)}
	e.org = orgtest.Insert(t, h.DB, orgtest.Row{Name: "Compagnie des Pièces", Members: []uuid.UUID{e.userID}}).ID
	e.serie = newSerie(t, h, e.org)
	e.cl = h.Client()
	e.cl.StartSession(e.userID, time.Hour)
	return e
}

// newSerie adds a manual serie to the organization.
func newSerie(t *testing.T, h *apptest.Harness, org uuid.UUID) uuid.UUID {
	t.Helper()
	id, err := series.CreateManual(context.Background(), h.DB, org,
		series.ManualSerie{Name: "Le cracheur de feu", Events: []series.ManualEvent{{StartAt: time.Now()}}}, audit.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// upload posts files as the form does, with htmx when htmx is set.
func (e *env) upload(t *testing.T, cl *apptest.Client, path string, htmx bool, files ...file) *apptest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if err := w.WriteField("_csrf", cl.CSRF); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		part, err := w.CreateFormFile("files", f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := part.Write(f.content); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	return cl.Do(req)
}

func (e *env) uploadPath() string { return paths.To.AttachmentsUpload(e.org, e.serie) }

// count runs a COUNT(*) query.
func (e *env) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.DB.NewRaw(query, args...).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func expectStatus(t *testing.T, r *apptest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("status %d, want %d: %.600s", r.StatusCode, status, r.Body)
	}
}
