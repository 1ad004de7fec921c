package attachments_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/uuid"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/attachments"
	"assistant-declaration/app/attachments/clamdtest"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
	"assistant-declaration/config"
	"assistant-declaration/static"
)

// listed returns the names of the documents in the panel.
func listed(r *apptest.Response) []string {
	var names []string
	r.Doc.Find("#attachments-list li a.fr-link--download").Each(func(_ int, s *goquery.Selection) {
		names = append(names, strings.TrimSpace(s.Contents().First().Text()))
	})
	return names
}

// One upload of several files: each is checked on its own, the refused ones
// are named next to the uploader and the others are kept. Two files of 5 MiB
// go through, above the application's 8 MiB body limit.
func TestUploadKeepsTheGoodFilesAndNamesTheRefusedOnes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, apptest.New(t))
	r := e.upload(t, e.cl, e.uploadPath(), true,
		file{"programme.pdf", pdf(0)},
		file{"affiche.png", pngImage(t)},
		file{"contrat.docx", docx(t)},
		file{"bordereau-complet.pdf", pdf(attachments.MaxFileSize)},
		file{"trop-gros.pdf", pdf(attachments.MaxFileSize + 1)},
		file{"facture.pdf", executable()},
		file{"archive.docx", zipOf(t, map[string]string{"a.txt": "a"}, "a.txt")},
	)
	expectStatus(t, r, http.StatusUnprocessableEntity)
	want := []string{"programme.pdf", "affiche.png", "contrat.docx", "bordereau-complet.pdf"}
	if got := listed(r); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("listed %q, want %q", got, want)
	}
	var errs []string
	r.Doc.Find("#attachments-errors .fr-message--error").Each(func(_ int, s *goquery.Selection) { errs = append(errs, s.Text()) })
	wantErrs := []string{
		"« trop-gros.pdf » dépasse la taille maximale de 5 Mo : il n’a pas été ajouté.",
		"« facture.pdf » n’est pas d’un format accepté (pdf, jpg, png, docx, xlsx, pptx, odt, ods, odp) : il n’a pas été ajouté.",
		"« archive.docx » n’est pas d’un format accepté (pdf, jpg, png, docx, xlsx, pptx, odt, ods, odp) : il n’a pas été ajouté.",
	}
	if strings.Join(errs, "\n") != strings.Join(wantErrs, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(wantErrs, "\n"))
	}
	if r.Doc.Find(".fr-upload-group.fr-upload-group--error #attachments-files[aria-describedby='attachments-errors']").Length() != 1 {
		t.Error("the uploader is not marked in error")
	}
	// The type comes from the content; the size is shown the French way.
	types := map[string]string{}
	rows, err := e.DB.QueryContext(context.Background(), `SELECT name, content_type FROM attachments WHERE event_serie_id = ?`, e.serie)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, ct string
		if err := rows.Scan(&name, &ct); err != nil {
			t.Fatal(err)
		}
		types[name] = ct
	}
	wantTypes := map[string]string{
		"programme.pdf": "application/pdf", "affiche.png": "image/png", "bordereau-complet.pdf": "application/pdf",
		"contrat.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	}
	for name, ct := range wantTypes {
		if types[name] != ct {
			t.Errorf("%s stored as %q, want %q", name, types[name], ct)
		}
	}
	if len(types) != len(wantTypes) {
		t.Errorf("stored %v", types)
	}
	if got := strings.TrimSpace(r.Doc.Find("#attachments-list li").Eq(3).Find(".fr-link__detail").Text()); got != "5 Mo" {
		t.Errorf("size of the 5 MiB file %q", got)
	}
	if got := r.Text("#attachments-count"); got != "4 fichiers sur 100" {
		t.Errorf("count %q", got)
	}
	// New files are "Autre document"; options sorted by label.
	var options []string
	r.Doc.Find("#attachments-list li").First().Find("select option").Each(func(_ int, s *goquery.Selection) { options = append(options, s.Text()) })
	if got := strings.Join(options, "|"); got != "Autre document|Bordereau de recette|Contrat artistique|Programme oeuvres interprétées" {
		t.Errorf("options %q", got)
	}
	if got := r.Text("#attachments-list li select option[selected]"); got != "Autre document" {
		t.Errorf("selected %q", got)
	}
	// Nothing is left unlinked: refused files were never stored.
	if n := e.count(t, `SELECT count(*) FROM attachments WHERE event_serie_id IS NULL AND created_at > now() - interval '1 minute'
		AND name IN ('trop-gros.pdf', 'facture.pdf', 'archive.docx')`); n != 0 {
		t.Errorf("%d refused files stored", n)
	}
}

// Without JavaScript, the form posts and comes back to the declaration page
// with the messages as flashes.
func TestUploadWithoutJavaScriptRedirectsWithFlashes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, apptest.New(t))
	r := e.upload(t, e.cl, e.uploadPath(), false, file{"programme.pdf", pdf(0)}, file{"trop-gros.pdf", pdf(attachments.MaxFileSize + 1)})
	expectStatus(t, r, http.StatusSeeOther)
	if got, want := r.Header.Get("Location"), paths.To.Declaration(e.org, e.serie); got != want {
		t.Errorf("Location %q, want %q", got, want)
	}
	var data string
	if err := e.DB.NewRaw(`SELECT data::text FROM sessions WHERE user_id = ?`, e.userID).Scan(context.Background(), &data); err != nil {
		t.Fatal(err)
	}
	var session struct {
		Flashes []struct{ Level, Key string }
	}
	if err := json.Unmarshal([]byte(data), &session); err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(session.Flashes)
	if want := `[{"Level":"success","Key":"attachments.flash.added"},{"Level":"error","Key":"attachments.flash.tooLarge"}]`; string(got) != want {
		t.Errorf("flashes %s, want %s", got, want)
	}
	if n := e.count(t, `SELECT count(*) FROM attachments WHERE event_serie_id = ?`, e.serie); n != 1 {
		t.Errorf("%d documents", n)
	}
	// No file chosen: a message, nothing else.
	r = e.upload(t, e.cl, e.uploadPath(), true)
	expectStatus(t, r, http.StatusUnprocessableEntity)
	if got := r.Text("#attachments-errors"); got != "Choisissez au moins un fichier à ajouter." {
		t.Errorf("no file: %q", got)
	}
}

// The type select and the delete button, with htmx and without.
func TestChangeTypeAndDelete(t *testing.T) {
	t.Parallel()
	e := newEnv(t, apptest.New(t))
	expectStatus(t, e.upload(t, e.cl, e.uploadPath(), true, file{"contrat.pdf", pdf(0)}, file{"programme.pdf", pdf(0)}), http.StatusOK)
	var ids []uuid.UUID
	if err := e.DB.NewRaw(`SELECT id FROM attachments WHERE event_serie_id = ? ORDER BY name`, e.serie).Scan(context.Background(), &ids); err != nil || len(ids) != 2 {
		t.Fatal(ids, err)
	}
	contract, program := ids[0], ids[1]

	r := e.cl.PostForm(paths.To.AttachmentType(e.org, e.serie, contract), url.Values{"type": {"ARTISTIC_CONTRACT"}}, "HX-Request", "true")
	expectStatus(t, r, http.StatusOK)
	if got := r.Text("#attachment-type-" + contract.String() + " option[selected]"); got != "Contrat artistique" {
		t.Errorf("selected after change %q", got)
	}
	r = e.cl.PostForm(paths.To.AttachmentType(e.org, e.serie, program), url.Values{"type": {"PERFORMED_WORK_PROGRAM"}})
	expectStatus(t, r, http.StatusSeeOther)
	if n := e.count(t, `SELECT count(*) FROM attachments WHERE (id = ? AND type = 'ARTISTIC_CONTRACT') OR (id = ? AND type = 'PERFORMED_WORK_PROGRAM')`, contract, program); n != 2 {
		t.Error("types not saved")
	}
	expectStatus(t, e.cl.PostForm(paths.To.AttachmentType(e.org, e.serie, program), url.Values{"type": {"INVOICE"}}), http.StatusUnprocessableEntity)

	r = e.cl.PostForm(paths.To.AttachmentDelete(e.org, e.serie, contract), nil, "HX-Request", "true")
	expectStatus(t, r, http.StatusOK)
	if got := listed(r); len(got) != 1 || got[0] != "programme.pdf" {
		t.Errorf("listed after delete %q", got)
	}
	if n := e.count(t, `SELECT count(*) FROM attachment_contents WHERE attachment_id = ?`, contract); n != 0 {
		t.Error("bytes of the deleted file left")
	}
	expectStatus(t, e.cl.PostForm(paths.To.AttachmentDelete(e.org, e.serie, program), nil), http.StatusSeeOther)
	expectStatus(t, e.cl.PostForm(paths.To.AttachmentDelete(e.org, e.serie, program), nil), http.StatusNotFound)
	// Every change is in the declaration's history of changes.
	if n := e.count(t, `SELECT count(*) FROM declaration_changes WHERE event_serie_id = ? AND field IN (?, ?)`, e.serie, attachments.FieldFile, attachments.FieldType); n != 6 {
		t.Errorf("%d history entries, want 2 added, 2 retyped, 2 deleted", n)
	}
}

// Downloads: the organization's collaborators and the admins; 404 for anyone
// else, whatever organization they put in the path.
func TestDownloadIsForCollaboratorsAndAdmins(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	e := newEnv(t, h)
	const name = "Contrat « été » n°1.pdf"
	content := pdf(2000)
	expectStatus(t, e.upload(t, e.cl, e.uploadPath(), true, file{name, content}), http.StatusOK)
	var id uuid.UUID
	if err := h.DB.NewRaw(`SELECT id FROM attachments WHERE event_serie_id = ?`, e.serie).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	path := paths.To.Attachment(e.org, e.serie, id)

	r := e.cl.Get(path)
	expectStatus(t, r, http.StatusOK)
	if !bytes.Equal([]byte(r.Body), content) {
		t.Error("content differs")
	}
	for header, want := range map[string]string{
		"Content-Type":           "application/pdf",
		"Content-Disposition":    `attachment; filename="Contrat _ _t_ _ n_1.pdf"; filename*=UTF-8''Contrat%20%C2%AB%20%C3%A9t%C3%A9%20%C2%BB%20n%C2%B01.pdf`,
		"X-Content-Type-Options": "nosniff",
	} {
		if got := r.Header.Get(header); got != want {
			t.Errorf("%s: %q, want %q", header, got, want)
		}
	}

	other := h.Client()
	otherUser := h.CreateUser(apptest.UniqueEmail("other"), false)
	otherOrg := orgtest.Insert(t, h.DB, orgtest.Row{Name: "Autre compagnie", Members: []uuid.UUID{otherUser}}).ID
	other.StartSession(otherUser, time.Hour)
	expectStatus(t, other.Get(path), http.StatusNotFound)
	expectStatus(t, other.Get(paths.To.Attachment(otherOrg, e.serie, id)), http.StatusNotFound)
	// Nor through a serie of its own.
	expectStatus(t, other.Get(paths.To.Attachment(otherOrg, newSerie(t, h, otherOrg), id)), http.StatusNotFound)

	anon := h.Client()
	r = anon.Get(path)
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/auth/sign-in") {
		t.Errorf("anonymous: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}

	admin := h.Client()
	admin.StartSession(h.CreateUser(apptest.UniqueEmail("admin"), true), time.Hour)
	r = admin.Get(paths.To.AdminAttachment(e.org, e.serie, id))
	expectStatus(t, r, http.StatusOK)
	if !bytes.Equal([]byte(r.Body), content) || r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("admin download")
	}
	expectStatus(t, admin.Get(paths.To.AdminAttachment(otherOrg, e.serie, id)), http.StatusNotFound)
	expectStatus(t, admin.Get(path), http.StatusNotFound) // not a collaborator
	expectStatus(t, other.Get(paths.To.AdminAttachment(e.org, e.serie, id)), http.StatusNotFound)
}

// Once every chosen organism accepted the declaration, the documents are
// read-only (decision D12, docs/decisions.md).
func TestAcceptedDeclarationFreezesTheDocuments(t *testing.T) {
	t.Parallel()
	e := newEnv(t, apptest.New(t))
	expectStatus(t, e.upload(t, e.cl, e.uploadPath(), true, file{"contrat.pdf", pdf(0)}), http.StatusOK)
	var id uuid.UUID
	if err := e.DB.NewRaw(`SELECT id FROM attachments WHERE event_serie_id = ?`, e.serie).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	exec := func(q string) {
		t.Helper()
		if _, err := e.DB.ExecContext(context.Background(), q, e.serie); err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE event_series SET expected_declaration_types = '{SACEM,SACD}' WHERE id = ?`)
	exec(`INSERT INTO event_serie_declarations (event_serie_id, type, status) VALUES (?, 'SACEM', 'PROCESSED')`)
	// SACD not accepted yet: still editable.
	expectStatus(t, e.upload(t, e.cl, e.uploadPath(), true, file{"programme.pdf", pdf(0)}), http.StatusOK)
	exec(`INSERT INTO event_serie_declarations (event_serie_id, type, status) VALUES (?, 'SACD', 'PROCESSED')`)
	r := e.upload(t, e.cl, e.uploadPath(), true, file{"bordereau.pdf", pdf(0)})
	expectStatus(t, r, http.StatusConflict)
	if !strings.Contains(r.Body, "ses pièces justificatives ne peuvent plus être modifiées") {
		t.Errorf("message missing: %s", r.Body)
	}
	expectStatus(t, e.cl.PostForm(paths.To.AttachmentType(e.org, e.serie, id), url.Values{"type": {"OTHER"}}), http.StatusConflict)
	expectStatus(t, e.cl.PostForm(paths.To.AttachmentDelete(e.org, e.serie, id), nil), http.StatusConflict)
	expectStatus(t, e.cl.Get(paths.To.Attachment(e.org, e.serie, id)), http.StatusOK)
}

// With CLAMAV_ADDRESS set, the application scans uploads: while clamd cannot
// be reached, the user is told to retry and nothing is stored.
func TestUnreachableAntivirusRefusesUploads(t *testing.T) {
	t.Parallel()
	addr := clamdtest.Unreachable(t)
	e := newEnv(t, apptest.New(t, func(c *config.Config) { c.ClamAVAddress = addr }))
	r := e.upload(t, e.cl, e.uploadPath(), true, file{"programme-hors-analyse.pdf", pdf(0)})
	expectStatus(t, r, http.StatusUnprocessableEntity)
	if got := r.Text("#attachments-errors"); got != "Analyse antivirus impossible pour « programme-hors-analyse.pdf » : il n’a pas été ajouté, réessayez dans quelques instants." {
		t.Errorf("message %q", got)
	}
	if n := e.count(t, `SELECT count(*) FROM attachments WHERE event_serie_id = ? OR (event_serie_id IS NULL AND name = 'programme-hors-analyse.pdf')`, e.serie); n != 0 {
		t.Errorf("%d stored", n)
	}
}

// Once read-only, the panel lists the documents with their type, without the
// uploader nor any form.
func TestReadOnlyPanel(t *testing.T) {
	t.Parallel()
	e := newEnv(t, apptest.New(t))
	expectStatus(t, e.upload(t, e.cl, e.uploadPath(), true, file{"contrat.pdf", pdf(0)}), http.StatusOK)
	assets, err := web.NewAssets(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	view, err := attachments.NewPanelView(context.Background(), e.DB, locale.For("fr"), "token", e.org, e.serie, false)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := web.NewEngine(assets).Render(&out, "partials/attachments/panel", view); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&out)
	if err != nil {
		t.Fatal(err)
	}
	if n := doc.Find("form, input, select").Length(); n != 0 {
		t.Errorf("%d form elements in a read-only panel", n)
	}
	if got := strings.TrimSpace(doc.Find("#attachments-list li p").Text()); got != "Autre document" {
		t.Errorf("type %q", got)
	}
	if doc.Find("#attachments-list a[download]").Length() != 1 {
		t.Error("no download link")
	}
}

// The larger body limit is the upload route's alone.
func TestOtherRoutesKeepTheBodyLimit(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	send := func(path string) (*http.Response, error) {
		body := bytes.NewReader(pdf(9 << 20))
		req := httptest.NewRequest(http.MethodPost, path, body)
		req.Header.Set("Content-Type", "application/pdf")
		return h.App.Fiber.Test(req, -1)
	}
	// fasthttp answers 413 and closes the connection, which app.Test reports
	// as an error.
	if resp, err := send("/auth/sign-in"); err == nil && resp.StatusCode != http.StatusRequestEntityTooLarge || err != nil && !strings.Contains(err.Error(), "body size exceeds") {
		t.Errorf("9 MiB to the sign-in: %v %v", resp, err)
	}
	resp, err := send(paths.To.AttachmentsUpload(uuid.New(), uuid.New()))
	if err != nil || resp.StatusCode == http.StatusRequestEntityTooLarge {
		t.Errorf("9 MiB to the upload route: %v %v", resp, err)
	}
}
