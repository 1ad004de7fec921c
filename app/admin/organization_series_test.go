package admin_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/attachments"
	"assistant-declaration/app/audit"
	"assistant-declaration/app/declarations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/series"
)

// history records the documents' changes as the app does.
type history struct{}

func (history) RecordAttachmentChange(ctx context.Context, idb bun.IDB, serieID uuid.UUID, actor audit.Actor, field, old, new string) error {
	return declarations.RecordChange(ctx, idb, serieID, actor, field, old, new)
}

// An organization's admin page lists its series, each linking to the
// read-only view of its declaration, whose documents download through the
// admin route.
func TestOrganizationPageLinksToReadOnlyDeclarations(t *testing.T) {
	t.Parallel()
	h, cl, _ := adminClient(t)
	ctx := context.Background()
	tok := token(t)
	org := createOrg(t, h, "Compagnie "+tok, "", time.Now())
	serie, err := series.CreateManual(ctx, h.DB, org.ID,
		series.ManualSerie{Name: "Le cracheur de feu " + tok, Events: []series.ManualEvent{{StartAt: time.Now()}, {StartAt: time.Now().Add(time.Hour)}}}, audit.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	svc := &attachments.Service{DB: h.DB, Store: attachments.PGStore{DB: h.DB}, Recorder: history{}}
	added, _, err := svc.Upload(ctx, org.ID, serie, []attachments.Upload{{Name: "contrat.pdf", Content: strings.NewReader("%PDF-1.4\n%%EOF\n")}}, audit.Actor{})
	if err != nil || len(added) != 1 {
		t.Fatalf("upload: %v (%d added)", err, len(added))
	}

	page := cl.Get(paths.To.AdminOrganization(org.ID))
	if page.StatusCode != 200 {
		t.Fatalf("organization page = %d", page.StatusCode)
	}
	rows := page.Doc.Find("#series-table tbody tr[data-serie-id]")
	if rows.Length() != 1 {
		t.Fatalf("%d series listed, want 1", rows.Length())
	}
	link := rows.Find("a")
	if href, _ := link.Attr("href"); href != paths.To.DeclarationAdmin(org.ID, serie) || strings.TrimSpace(link.Text()) != "Le cracheur de feu "+tok {
		t.Errorf("serie link %q %q", href, link.Text())
	}
	if cells := rows.Find("td"); strings.TrimSpace(cells.Eq(2).Text()) != "2" || strings.TrimSpace(cells.Eq(4).Text()) != "Non commencée" {
		t.Errorf("serie row %q", rows.Text())
	}

	view := cl.Get(paths.To.DeclarationAdmin(org.ID, serie))
	if view.StatusCode != 200 {
		t.Fatalf("read-only declaration = %d", view.StatusCode)
	}
	if n := view.Doc.Find("#declaration-form input:not([disabled]):not([type=hidden]), #attachments-upload").Length(); n != 0 {
		t.Errorf("%d editable inputs in the read-only view", n)
	}
	var downloads []string
	view.Doc.Find("#attachments-list a").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		downloads = append(downloads, href)
	})
	want := paths.To.AdminAttachment(org.ID, serie, added[0].ID)
	if len(downloads) != 1 || downloads[0] != want {
		t.Fatalf("downloads %v, want [%s]", downloads, want)
	}
	if r := cl.Get(want); r.StatusCode != 200 || !strings.HasPrefix(r.Body, "%PDF") {
		t.Errorf("admin download = %d", r.StatusCode)
	}
}
