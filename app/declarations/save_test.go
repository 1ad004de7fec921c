package declarations_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/uuid"

	"assistant-declaration/app/apptest"
)

// snapshot is every stored value of the serie, its performances and its
// organization, by "row.column", without the timestamps a save sets.
func (e *env) snapshot(serie uuid.UUID) map[string]string {
	e.t.Helper()
	var rows []struct {
		Key   string `bun:"key"`
		Value string `bun:"value"`
	}
	err := e.DB.NewRaw(`
SELECT 'serie.' || k AS key, coalesce(v, 'NULL') AS value FROM event_series s, jsonb_each_text(to_jsonb(s)) AS j(k, v) WHERE s.id = ?
UNION ALL
SELECT 'event' || row_number() OVER (PARTITION BY k ORDER BY ev.start_at) || '.' || k, coalesce(v, 'NULL') FROM events ev, jsonb_each_text(to_jsonb(ev)) AS j(k, v) WHERE ev.event_serie_id = ?
UNION ALL
SELECT 'organization.' || k, coalesce(v, 'NULL') FROM organizations o, jsonb_each_text(to_jsonb(o)) AS j(k, v) WHERE o.id = ?`,
		serie, serie, e.org.ID).Scan(context.Background(), &rows)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		col := r.Key[strings.Index(r.Key, ".")+1:]
		if col == "updated_at" || col == "last_manual_update_at" || col == "last_manual_ticketing_data_update_at" {
			continue
		}
		out[r.Key] = r.Value
	}
	return out
}

// diff lists the keys whose value changed.
func diff(before, after map[string]string) []string {
	var out []string
	for k, v := range after {
		if before[k] != v {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// fieldMessage is the message shown next to field name (a form name) of a
// serie of performances events.
func fieldMessage(r *apptest.Response, events []uuid.UUID, name string) string {
	id := "f-" + strings.ReplaceAll(onPage(events, name), ".", "-")
	return strings.TrimSpace(r.Doc.Find("#" + id + "-error").Text())
}

// onPage is a form name (a field's or a group's) as the page writes it: a
// performance named by its index in start order, the order of events.
func onPage(events []uuid.UUID, name string) string {
	for i, id := range events {
		name = strings.Replace(name, "e."+id.String()+".", fmt.Sprintf("e%d.", i), 1)
		name = strings.Replace(name, "e-"+id.String()+"-", fmt.Sprintf("e%d-", i), 1)
	}
	return name
}

func ev(id uuid.UUID, name string) string { return "e." + id.String() + "." + name }

func TestEachKindOfFieldSavedAlone(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	for _, tc := range []struct {
		name, group string
		values      func(events []uuid.UUID) url.Values
		changed     []string // the columns that may change, with their row
		want        map[string]string
	}{
		{"identifier", "identifiers", func([]uuid.UUID) url.Values { return url.Values{"sacemId": {"1234567"}} },
			[]string{"organization.sacem_id"}, map[string]string{"organization.sacem_id": "1234567"}},
		{"performance type", "general", func([]uuid.UUID) url.Values { return url.Values{"performanceType": {"DANCE"}} },
			[]string{"serie.performance_type"}, map[string]string{"serie.performance_type": "DANCE"}},
		{"producer", "general", func([]uuid.UUID) url.Values {
			return url.Values{"producerOfficialId": {"123 456 789"}, "producerName": {"Production du feu"}}
		}, []string{"serie.producer_name", "serie.producer_official_id"}, map[string]string{"serie.producer_official_id": "123456789"}},
		{"expense", "expenses", func([]uuid.UUID) url.Values { return url.Values{"introductionFeesExpensesExcludingTaxes": {"450,50"}} },
			[]string{"serie.introduction_fees_expenses_excluding_taxes"}, map[string]string{"serie.introduction_fees_expenses_excluding_taxes": "450.50"}},
		{"tax rate", "defaults", func([]uuid.UUID) url.Values { return url.Values{"ticketingRevenueTaxRate": {"0.1"}} },
			[]string{"serie.ticketing_revenue_tax_rate"}, map[string]string{"serie.ticketing_revenue_tax_rate": "0.1000"}},
		{"tickets", "", func(ev3 []uuid.UUID) url.Values { return url.Values{ev(ev3[0], "paidTickets"): {"12"}} },
			[]string{"event1.paid_tickets"}, map[string]string{"event1.paid_tickets": "12"}},
		{"revenue", "", func(ev3 []uuid.UUID) url.Values {
			return url.Values{ev(ev3[1], "cateringRevenueIncludingTaxes"): {"1 200,00 €"}}
		}, []string{"event2.catering_revenue_including_taxes"}, map[string]string{"event2.catering_revenue_including_taxes": "1200.00"}},
		{"audience override", "", func(ev3 []uuid.UUID) url.Values { return url.Values{ev(ev3[2], "audienceOverride"): {"YOUNG"}} },
			[]string{"event3.audience_override"}, map[string]string{"event3.audience_override": "YOUNG"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, h)
			serie, events := e.workedExample("SACEM,SACD")
			group := tc.group
			values := tc.values(events)
			if group == "" {
				for name := range values {
					id, _ := uuid.Parse(strings.Split(name, ".")[1])
					kind := "general"
					switch {
					case strings.Contains(name, "Tickets"):
						kind = "ticketing"
					case strings.Contains(name, "catering"):
						kind = "revenues"
					}
					group = "e-" + id.String() + "-" + kind
				}
			}
			before := e.snapshot(serie)
			r := e.saveField(serie, group, values)
			expectStatus(t, r, 200)
			if !strings.Contains(r.Body, "Enregistré") {
				t.Error("no « Enregistré » status")
			}
			if r.Doc.Find("#group-"+onPage(events, group)).Length() != 1 || r.Doc.Find(`#declaration-totals[hx-swap-oob]`).Length() != 1 {
				t.Errorf("the answer is not the group with the totals out of band:\n%s", r.Body)
			}
			after := e.snapshot(serie)
			if got := diff(before, after); strings.Join(got, ",") != strings.Join(tc.changed, ",") {
				t.Errorf("changed %v, want %v", got, tc.changed)
			}
			for k, v := range tc.want {
				if after[k] != v {
					t.Errorf("%s = %q, want %q", k, after[k], v)
				}
			}
			if tc.name == "tickets" && e.str(`SELECT last_manual_ticketing_data_update_at::text FROM events WHERE id = ?`, events[0]) == "NULL" {
				t.Error("changed ticketing data do not mark the performance as typed by hand")
			}
			if tc.name == "revenue" && e.str(`SELECT last_manual_ticketing_data_update_at::text FROM events WHERE id = ?`, events[1]) != "NULL" {
				t.Error("a revenue outside ticketing marked the performance's ticketing data as typed by hand")
			}
		})
	}
}

// Every message of the form, each raised by a field saved alone: 422, the
// message next to the field, the typed value kept, nothing saved.
func TestEveryMessageNextToItsField(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	other := newEnv(t, h)
	other.exec(`UPDATE organizations SET sacem_id = '7777777', sacd_id = '8888888' WHERE id = ?`, other.org.ID)
	type tc struct {
		group, field string
		values       url.Values
		message      string
	}
	cases := func(events []uuid.UUID) []tc {
		e1, e3 := events[0], events[2]
		return []tc{
			{"identifiers", "sacemId", url.Values{"sacemId": {"12a"}}, "L’identifiant SACEM doit être composé de 1 à 10 chiffres"},
			{"identifiers", "sacdId", url.Values{"sacdId": {"12345678901"}}, "L’identifiant SACD doit être composé de 1 à 10 chiffres"},
			{"identifiers", "sacemId", url.Values{"sacemId": {"7777777"}}, "Cet identifiant SACEM est déjà utilisé par une autre organisation. Vérifiez-le ou contactez le support."},
			{"identifiers", "sacdId", url.Values{"sacdId": {"8888888"}}, "Cet identifiant SACD est déjà utilisé par une autre organisation. Vérifiez-le ou contactez le support."},
			{"general", "performanceType", url.Values{"performanceType": {"OPERA_BOUFFE"}}, "L’esthétique du spectacle est requise"},
			{"general", "producerOfficialId", url.Values{"producerOfficialId": {"12345"}, "producerName": {"Prod"}}, "Le numéro Siren du producteur doit être composé de 9 chiffres"},
			{"general", "producerOfficialId", url.Values{"producerOfficialId": {""}, "producerName": {"Prod"}}, "Le numéro Siren du producteur est requis"},
			{"general", "producerName", url.Values{"producerOfficialId": {"123456789"}, "producerName": {""}}, "La raison sociale du producteur est requise"},
			{"expenses", "expensesIncludingTaxes", url.Values{"expensesExcludingTaxes": {"3 500"}}, "Le montant TTC ne peut être inférieur au montant HT"},
			{"expenses", "expensesExcludingTaxes", url.Values{"expensesExcludingTaxes": {"100"}, "expensesIncludingTaxes": {"3000"}}, "Le total des dépenses doit être supérieur aux frais renseignés"},
			{"expenses", "expensesIncludingTaxes", url.Values{"expensesIncludingTaxes": {"100"}, "expensesExcludingTaxes": {"100"}}, "Le total des dépenses doit être supérieur aux frais renseignés"},
			{"expenses", "introductionFeesExpensesIncludingTaxes", url.Values{"introductionFeesExpensesIncludingTaxes": {"0"}}, "Le montant TTC ne peut être à 0 si le montant HT est spécifié"},
			{"expenses", "introductionFeesExpensesExcludingTaxes", url.Values{"introductionFeesExpensesExcludingTaxes": {"0"}}, "Le montant HT ne peut être à 0 si le montant TTC est spécifié"},
			{"expenses", "circusSpecificExpensesIncludingTaxes", url.Values{"circusSpecificExpensesExcludingTaxes": {"10"}, "circusSpecificExpensesIncludingTaxes": {""}}, "Le montant TTC est requis"},
			{"expenses", "circusSpecificExpensesExcludingTaxes", url.Values{"circusSpecificExpensesExcludingTaxes": {""}, "circusSpecificExpensesIncludingTaxes": {"10"}}, "Le montant HT est requis"},
			{"expenses", "expensesExcludingTaxes", url.Values{"expensesExcludingTaxes": {"-5"}}, "Le montant doit être supérieur ou égal à 0 euro"},
			{"expenses", "expensesExcludingTaxes", url.Values{"expensesExcludingTaxes": {"12,345"}}, "Le montant ne peut avoir que 2 décimales"},
			{"expenses", "expensesExcludingTaxes", url.Values{"expensesExcludingTaxes": {"100 000 000"}}, "Le montant ne peut pas dépasser 99 999 999,99 €"},
			{"expenses", "expensesExcludingTaxes", url.Values{"expensesExcludingTaxes": {"beaucoup"}}, "Le montant doit être un nombre, par exemple 1 390,25"},
			{"defaults", "ticketingRevenueTaxRate", url.Values{"ticketingRevenueTaxRate": {"-1"}}, "Le taux de TVA doit être supérieur à 0%"},
			{"defaults", "audience", url.Values{"audience": {"ADULTS"}}, "La nature des représentations est requise"},
			{"defaults", "placeStreet", url.Values{"placeName": {"La Cigale"}}, "L’adresse du lieu est requise quand son intitulé est spécifié"},
			{"defaults", "placeName", url.Values{"placeStreet": {"120 boulevard de Rochechouart"}, "placePostalCode": {"75018"}, "placeCity": {"Paris"}}, "L’intitulé du lieu est requis quand son adresse est spécifiée"},
			{"defaults", "placeName", url.Values{"placeName": {strings.Repeat("a", 201)}, "placeStreet": {"1 rue"}, "placePostalCode": {"75018"}, "placeCity": {"Paris"}}, "L’intitulé du lieu doit faire 200 caractères maximum"},
			{"defaults", "placeCity", url.Values{"placeName": {"La Cigale"}, "placeStreet": {"1 rue"}, "placePostalCode": {"75018"}}, "La ville est requise"},
			{"defaults", "placePostalCode", url.Values{"placeName": {"La Cigale"}, "placeStreet": {"1 rue"}, "placeCity": {"Paris"}}, "Le code postal est requis"},
			{"defaults", "placeStreet", url.Values{"placeName": {"La Cigale"}, "placePostalCode": {"75018"}, "placeCity": {"Paris"}}, "Le numéro et la voie sont requis"},
			{"defaults", "placePostalCode", url.Values{"placeName": {"La Cigale"}, "placeStreet": {"1 rue"}, "placePostalCode": {strings.Repeat("7", 21)}, "placeCity": {"Paris"}}, "Le code postal doit faire 20 caractères maximum"},
			{"defaults", "placeStreet", url.Values{"placeName": {"La Cigale"}, "placeStreet": {strings.Repeat("r", 201)}, "placePostalCode": {"75018"}, "placeCity": {"Paris"}}, "Le numéro et la voie doivent faire 200 caractères maximum"},
			{"defaults", "placeCity", url.Values{"placeName": {"La Cigale"}, "placeStreet": {"1 rue"}, "placePostalCode": {"75018"}, "placeCity": {strings.Repeat("P", 201)}}, "La ville doit faire 200 caractères maximum"},
			{"defaults", "placeCapacity", url.Values{"placeCapacity": {"12,5"}}, "La jauge du lieu doit être un nombre entier"},
			{"defaults", "placeCapacity", url.Values{"placeCapacity": {"-3"}}, "La jauge du lieu doit être supérieure à 0"},
			{"defaults", "placeCapacity", url.Values{"placeCapacity": {"99999999999"}}, "La jauge du lieu est trop grande"},
			{"e-" + e1.String() + "-ticketing", ev(e1, "paidTickets"), url.Values{ev(e1, "paidTickets"): {"12,5"}}, "Le nombre de billets payants doit être un nombre entier"},
			{"e-" + e1.String() + "-ticketing", ev(e1, "paidTickets"), url.Values{ev(e1, "paidTickets"): {"-1"}}, "Le nombre de billets payants doit être supérieur à 0"},
			{"e-" + e1.String() + "-ticketing", ev(e1, "paidTickets"), url.Values{ev(e1, "paidTickets"): {""}}, "Le nombre de billets payants est requis"},
			{"e-" + e1.String() + "-ticketing", ev(e1, "paidTickets"), url.Values{ev(e1, "paidTickets"): {"99999999999"}}, "Le nombre de billets payants est trop grand"},
			{"e-" + e1.String() + "-ticketing", ev(e1, "freeTickets"), url.Values{ev(e1, "freeTickets"): {"1.5"}}, "Le nombre de billets gratuits doit être un nombre entier"},
			{"e-" + e1.String() + "-ticketing", ev(e1, "freeTickets"), url.Values{ev(e1, "freeTickets"): {"-2"}}, "Le nombre de billets gratuits doit être supérieur à 0"},
			{"e-" + e1.String() + "-ticketing", ev(e1, "freeTickets"), url.Values{ev(e1, "freeTickets"): {""}}, "Le nombre de billets gratuits est requis"},
			{"e-" + e1.String() + "-ticketing", ev(e1, "freeTickets"), url.Values{ev(e1, "freeTickets"): {"99999999999"}}, "Le nombre de billets gratuits est trop grand"},
			{"e-" + e1.String() + "-ticketing", ev(e1, "ticketingRevenueIncludingTaxes"), url.Values{ev(e1, "ticketingRevenueExcludingTaxes"): {"200"}}, "Le montant TTC ne peut être inférieur au montant HT"},
			{"e-" + e1.String() + "-ticketing", ev(e1, "ticketingRevenueTaxRateOverride"), url.Values{ev(e1, "ticketingRevenueTaxRateOverride"): {"x"}}, "Le taux de TVA doit être supérieur à 0%"},
			{"e-" + e1.String() + "-revenues", ev(e1, "cateringRevenueIncludingTaxes"), url.Values{ev(e1, "cateringRevenueIncludingTaxes"): {"0"}}, "Le montant TTC ne peut être à 0 si le montant HT est spécifié"},
			{"e-" + e3.String() + "-general", ev(e3, "audienceOverride"), url.Values{ev(e3, "audienceOverride"): {"ADULTS"}}, "La nature de la représentation est requise"},
			{"e-" + e3.String() + "-general", ev(e3, "placeCapacityOverride"), url.Values{ev(e3, "placeCapacityOverride"): {"2,5"}}, "La jauge du lieu doit être un nombre entier"},
			{"e-" + e3.String() + "-general", ev(e3, "placeStreet"), url.Values{ev(e3, "placeName"): {"Le Zénith"}}, "L’adresse du lieu est requise quand son intitulé est spécifié"},
			{"e-" + e3.String() + "-general", ev(e3, "placeName"), url.Values{ev(e3, "placeStreet"): {"211 avenue Jean Jaurès"}, ev(e3, "placePostalCode"): {"75019"}, ev(e3, "placeCity"): {"Paris"}}, "L’intitulé du lieu est requis quand son adresse est spécifiée"},
		}
	}
	e := newEnv(t, h)
	serie, events := e.workedExample("SACEM,SACD")
	for _, c := range cases(events) {
		t.Run(c.message+" "+c.field, func(t *testing.T) {
			before := e.snapshot(serie)
			r := e.saveField(serie, c.group, c.values)
			expectStatus(t, r, 422)
			if got := fieldMessage(r, events, c.field); got != c.message {
				t.Errorf("message next to %s = %q, want %q\n", c.field, got, c.message)
			}
			for name, v := range c.values {
				id := "#f-" + strings.ReplaceAll(onPage(events, name), ".", "-")
				if got, _ := r.Doc.Find(id).Attr("value"); got != v[0] && r.Doc.Find(id).Is("input") {
					t.Errorf("%s shows %q, want the typed %q", name, got, v[0])
				}
			}
			if d := diff(before, e.snapshot(serie)); len(d) > 0 {
				t.Errorf("an invalid save changed %v", d)
			}
		})
	}
}

// formValues reads every field of the page's form as the browser would post it.
func formValues(r *apptest.Response) url.Values {
	v := url.Values{}
	r.Doc.Find("#declaration-form input, #declaration-form select").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if name == "" || s.Is("[disabled]") {
			return
		}
		if s.Is("select") {
			val, _ := s.Find("option[selected]").Attr("value")
			v.Add(name, val)
			return
		}
		if typ, _ := s.Attr("type"); typ == "checkbox" && !s.Is("[checked]") {
			return
		}
		val, _ := s.Attr("value")
		v.Add(name, val)
	})
	return v
}

func TestWholeFormWithoutJavaScript(t *testing.T) {
	t.Parallel()
	e, serie, events, page := open(t, "SACEM")

	// Invalid: one valid change and one invalid; nothing is saved.
	values := formValues(page)
	values.Set("placeCapacity", "250")
	values.Set(onPage(events, ev(events[1], "ticketingRevenueExcludingTaxes")), "300")
	before := e.snapshot(serie)
	r := e.cl.PostForm(e.page(serie), values)
	expectStatus(t, r, 422)
	if got := r.Text("#declaration-errors h2"); got != "Impossible de valider le formulaire. Le champ invalide a été marqué en rouge." {
		t.Errorf("summary = %q", got)
	}
	if got := fieldMessage(r, events, ev(events[1], "ticketingRevenueIncludingTaxes")); got != "Le montant TTC ne peut être inférieur au montant HT" {
		t.Errorf("message = %q", got)
	}
	if r.Doc.Find("#prefilled-e1.fr-collapse--expanded").Length() != 1 || r.Doc.Find("#prefilled-e0.fr-collapse--expanded").Length() != 0 {
		t.Error("only the pre-filled data in error must show open")
	}
	if got, _ := r.Doc.Find("#f-placeCapacity").Attr("value"); got != "250" {
		t.Errorf("the typed capacity is not kept: %q", got)
	}
	if d := diff(before, e.snapshot(serie)); len(d) > 0 {
		t.Errorf("an invalid whole form changed %v", d)
	}

	// Valid: every change saved in one go.
	values = formValues(r)
	values.Set(onPage(events, ev(events[1], "ticketingRevenueExcludingTaxes")), "240")
	r = e.cl.PostForm(e.page(serie), values)
	expectStatus(t, r, 303)
	after := e.snapshot(serie)
	if got := diff(before, after); strings.Join(got, ",") != "event2.ticketing_revenue_excluding_taxes,serie.place_capacity" {
		t.Errorf("changed %v", got)
	}
	r = e.cl.Get(r.Header.Get("Location"))
	if got := r.Text(`[data-total="ticketing-excl"]`); got != "1\u202f340\u00a0€" {
		t.Errorf("ticketing HT = %q", got)
	}
	if !strings.Contains(r.Body, "La déclaration a été enregistrée.") {
		t.Error("no flash after saving")
	}
	hist := r.Text("#declaration-history tbody")
	for _, want := range []string{"Jauge", "250", "Montant HT", "250\u00a0€", "240\u00a0€", "Séance du 22/11/2026, 20:30", e.user.Email} {
		if !strings.Contains(hist, want) {
			t.Errorf("history misses %q:\n%s", want, hist)
		}
	}
}

func TestOverridesAndPropagation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	serie, events := e.workedExample("SACEM")
	override := func(i int, column string) string {
		return e.str(`SELECT `+column+`::text FROM events WHERE id = ?`, events[i])
	}
	// Capacity of performance 1 alone: an override.
	expectStatus(t, e.saveField(serie, "e-"+events[0].String()+"-general", url.Values{ev(events[0], "placeCapacityOverride"): {"300"}}), 200)
	if override(0, "place_capacity_override") != "300" {
		t.Fatal("override not stored")
	}
	// The serie gets the same capacity: the override becomes the serie's value.
	r := e.saveField(serie, "defaults", url.Values{"placeCapacity": {"300"}})
	expectStatus(t, r, 200)
	if override(0, "place_capacity_override") != "NULL" {
		t.Error("an override equal to the serie's value is not stored NULL")
	}
	if got := r.Text("#declaration-status"); got != "La valeur a été appliquée sur toutes les représentations" {
		t.Errorf("message = %q", got)
	}
	if got, _ := r.Doc.Find("#f-e2-placeCapacityOverride").Attr("value"); got != "300" {
		t.Errorf("performance 3 was not sent again with the new capacity: %q", got)
	}
	// Performance 2 diverges; a new serie capacity reaches the two others.
	expectStatus(t, e.saveField(serie, "e-"+events[1].String()+"-general", url.Values{ev(events[1], "placeCapacityOverride"): {"500"}}), 200)
	r = e.saveField(serie, "defaults", url.Values{"placeCapacity": {"400"}})
	if got := r.Text("#declaration-status"); got != "La valeur a été appliquée sur 2 des 3 représentations" {
		t.Errorf("message = %q", got)
	}
	// Setting a performance back to the serie's value stores NULL.
	expectStatus(t, e.saveField(serie, "e-"+events[1].String()+"-general", url.Values{ev(events[1], "placeCapacityOverride"): {"400"}}), 200)
	if override(1, "place_capacity_override") != "NULL" {
		t.Error("an override set back to the serie's value is not NULL")
	}
	// Every performance has its own audience: the serie's reaches none.
	for _, id := range events {
		expectStatus(t, e.saveField(serie, "e-"+id.String()+"-general", url.Values{ev(id, "audienceOverride"): {"YOUNG"}}), 200)
	}
	r = e.saveField(serie, "defaults", url.Values{"audience": {"SCHOOL"}})
	if got := r.Text("#declaration-status"); got != "La valeur n’a été appliquée sur aucune représentation, il est probable que chacune ait déjà une valeur spécifique" {
		t.Errorf("message = %q", got)
	}
	// The tax rate: performance 3 has 2,1 %, the two others follow the serie.
	r = e.saveField(serie, "defaults", url.Values{"ticketingRevenueTaxRate": {"0.021"}})
	if got := r.Text("#declaration-status"); got != "La valeur a été appliquée sur toutes les représentations" {
		t.Errorf("rate message = %q", got)
	}
	if override(2, "ticketing_revenue_tax_rate_override") != "NULL" {
		t.Error("a rate override equal to the new serie rate is not NULL")
	}
}

func TestPlacesReusedAndCleanedUp(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	serie, events := e.workedExample("SACEM")
	other, _ := e.workedExample("SACD")
	count := func() string { return e.str(`SELECT count(*)::text FROM places WHERE organization_id = ?`, e.org.ID) }
	cigale := url.Values{"placeName": {"La Cigale"}, "placeStreet": {"120 boulevard de Rochechouart"}, "placePostalCode": {"75018"}, "placeCity": {"Paris"}}
	expectStatus(t, e.saveField(serie, "defaults", cigale), 200)
	expectStatus(t, e.saveField(other, "defaults", cigale), 200)
	if count() != "1" {
		t.Fatalf("%s places, want the identical place reused", count())
	}
	// A performance typed with the serie's place has no override.
	g := "e-" + events[0].String() + "-general"
	expectStatus(t, e.saveField(serie, g, url.Values{ev(events[0], "placeName"): {"La Cigale"}, ev(events[0], "placeStreet"): {"120 boulevard de Rochechouart"},
		ev(events[0], "placePostalCode"): {"75018"}, ev(events[0], "placeCity"): {"Paris"}}), 200)
	if e.str(`SELECT place_override_id::text FROM events WHERE id = ?`, events[0]) != "NULL" {
		t.Error("a performance's place equal to the serie's is stored")
	}
	// Another place for performance 1, then none: created, then deleted.
	expectStatus(t, e.saveField(serie, g, url.Values{ev(events[0], "placeName"): {"Le Zénith"}, ev(events[0], "placeStreet"): {"211 avenue Jean Jaurès"},
		ev(events[0], "placePostalCode"): {"75019"}, ev(events[0], "placeCity"): {"Paris"}}), 200)
	if count() != "2" {
		t.Fatalf("%s places after a performance's own place", count())
	}
	expectStatus(t, e.saveField(serie, g, url.Values{ev(events[0], "placeName"): {""}, ev(events[0], "placeStreet"): {""},
		ev(events[0], "placePostalCode"): {""}, ev(events[0], "placeCity"): {""}}), 200)
	if count() != "1" {
		t.Errorf("%s places: the unused Zénith is not deleted", count())
	}
	// The serie moves: La Cigale is kept for the other serie, then deleted with its address.
	olympia := url.Values{"placeName": {"L’Olympia"}, "placeStreet": {"28 boulevard des Capucines"}, "placePostalCode": {"75009"}, "placeCity": {"Paris"}}
	expectStatus(t, e.saveField(serie, "defaults", olympia), 200)
	if count() != "2" {
		t.Errorf("%s places: La Cigale, still used by another serie, must stay", count())
	}
	expectStatus(t, e.saveField(other, "defaults", olympia), 200)
	if count() != "1" || e.str(`SELECT count(*)::text FROM addresses WHERE street = '120 boulevard de Rochechouart'`) != "0" {
		t.Errorf("%s places: La Cigale, unused, must be deleted with its address", count())
	}
	// Another organization typing the same place gets its own.
	e2 := newEnv(t, e.Harness)
	s2, _ := e2.workedExample("SACEM")
	expectStatus(t, e2.saveField(s2, "defaults", olympia), 200)
	if e.str(`SELECT count(*)::text FROM places WHERE name = 'L’Olympia' AND organization_id IN (?, ?)`, e.org.ID, e2.org.ID) != "2" {
		t.Error("a place of another organization was reused")
	}
}

// Two tabs save different fields at the same time: both are kept.
func TestConcurrentSavesOfDifferentFieldsKeepBoth(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	serie, _ := e.workedExample("SACEM")
	tab1, tab2 := e.cl.Get(e.page(serie)), e.cl.Get(e.page(serie))
	group := func(r *apptest.Response, changes map[string]string) url.Values {
		v := url.Values{}
		was, _ := r.Doc.Find(`input[name="_was.expenses"]`).Attr("value")
		v.Set("_was.expenses", was)
		r.Doc.Find("#group-expenses input.fr-input").Each(func(_ int, s *goquery.Selection) {
			name, _ := s.Attr("name")
			val, _ := s.Attr("value")
			v.Set(name, val)
		})
		for k, val := range changes {
			v.Set(k, val)
		}
		return v
	}
	v1 := group(tab1, map[string]string{"expensesExcludingTaxes": "2600"})
	v2 := group(tab2, map[string]string{"introductionFeesExpensesExcludingTaxes": "450"})
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i, v := range []url.Values{v1, v2} {
		wg.Add(1)
		go func(i int, v url.Values) {
			defer wg.Done()
			statuses[i] = e.saveField(serie, "expenses", v).StatusCode
		}(i, v)
	}
	wg.Wait()
	if statuses[0] != 200 || statuses[1] != 200 {
		t.Fatalf("statuses %v", statuses)
	}
	got := e.str(`SELECT expenses_excluding_taxes::text || ' ' || introduction_fees_expenses_excluding_taxes::text FROM event_series WHERE id = ?`, serie)
	if got != "2600.00 450.00" {
		t.Errorf("after both tabs: %s, want both changes", got)
	}
}

func TestOrganismsChoiceAndReadOnlyStates(t *testing.T) {
	t.Parallel()
	e, serie, _, r := open(t, "")
	if r.Text("#organisms-legend") != "Auprès de quels organismes devez-vous déclarer ?" || r.Doc.Find("#declaration-form").Length() != 0 {
		t.Fatal("the organisms are not asked first")
	}
	if !strings.Contains(r.Text(`label[for="organism-SACEM"]`), "spectacles avec musique protégée") ||
		!strings.Contains(r.Text(`label[for="organism-SACD"]`), "spectacles avec texte, scénario ou chorégraphie protégés") {
		t.Error("organism hints")
	}
	r = e.cl.PostForm(e.page(serie), url.Values{"organisms": {"", "SACEM"}, "_was.organisms": {"organisms="}})
	expectStatus(t, r, 303)
	r = e.cl.Get(e.page(serie))
	if r.Doc.Find("#f-sacemId").Length() != 1 || r.Doc.Find("#f-sacdId").Length() != 0 || r.Doc.Find("#f-circusSpecificExpensesExcludingTaxes").Length() != 0 {
		t.Error("SACEM chosen: the SACEM id shows, the SACD id and circus expenses do not")
	}
	// SACD accepted, SACEM pending: editable, with the banner, SACD cannot be removed.
	e.exec(`UPDATE event_series SET expected_declaration_types = '{SACEM,SACD}' WHERE id = ?`, serie)
	e.exec(`INSERT INTO event_serie_declarations (event_serie_id, type, status, transmitted_at) VALUES (?, 'SACD', 'PROCESSED', '2026-11-21 10:00+01')`, serie)
	r = e.cl.Get(e.page(serie))
	if !strings.Contains(r.Body, "Déjà transmise à la SACD le 21/11/2026 : vos modifications ne lui seront pas envoyées") {
		t.Error("no banner for the organism that accepted")
	}
	if r.Doc.Find("#f-expensesExcludingTaxes[disabled]").Length() != 0 {
		t.Error("the form is read-only while SACEM has not accepted")
	}
	r = e.saveField(serie, "organisms", url.Values{"organisms": {"", "SACEM"}})
	expectStatus(t, r, 422)
	if got := r.Text("#organisms-messages"); got != "Un organisme qui a déjà accepté la déclaration ne peut plus être retiré" {
		t.Errorf("message = %q", got)
	}
	expectStatus(t, e.saveField(serie, "expenses", url.Values{"expensesExcludingTaxes": {"2700"}}), 200)
	// Every chosen organism accepted: read-only, saves refused.
	e.exec(`INSERT INTO event_serie_declarations (event_serie_id, type, status, transmitted_at) VALUES (?, 'SACEM', 'PROCESSED', now())`, serie)
	r = e.cl.Get(e.page(serie))
	if r.Doc.Find("#f-expensesExcludingTaxes[disabled]").Length() != 1 || r.Doc.Find(`#declaration-form button[type="submit"]`).Length() != 0 {
		t.Error("the accepted declaration is not read-only")
	}
	if r.Doc.Find("[hx-post]").Length() != 0 {
		t.Error("a read-only form still saves on change")
	}
	r = e.saveField(serie, "expenses", url.Values{"expensesExcludingTaxes": {"2800"}})
	expectStatus(t, r, 409)
	if e.str(`SELECT expenses_excluding_taxes::text FROM event_series WHERE id = ?`, serie) != "2700.00" {
		t.Error("a read-only declaration changed")
	}
}

func TestManualSerieAndSerieWithoutPerformances(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	sys := e.system("MANUAL")
	serie := uuid.New()
	e.exec(`INSERT INTO event_series (id, ticketing_system_id, internal_ticketing_system_id, name, expected_declaration_types) VALUES (?, ?, ?, 'Fait main', '{SACD}')`, serie, sys, serie.String())
	r := e.cl.Get(e.page(serie))
	if got := r.Text(".fr-alert--info"); got != "Aucune représentation n’est associée à ce spectacle, il n’y a donc pas de déclaration à faire." {
		t.Errorf("no performance: %q", got)
	}
	event := uuid.New()
	e.exec(`INSERT INTO events (id, event_serie_id, internal_ticketing_system_id, start_at) VALUES (?, ?, 'x', '2026-07-14 21:00+02')`, event, serie)
	r = e.cl.Get(e.page(serie))
	if r.Doc.Find("#performance-e0 > .fr-fieldset__element #group-e0-ticketing").Length() != 1 ||
		r.Doc.Find("#prefilled-e0 #group-e0-ticketing").Length() != 0 {
		t.Error("a manual serie's ticketing block must sit directly in the performance's fieldset")
	}
	if got := r.Text("#performance-e0-legend"); got != "Séance du 14/07/2026, 21:00" {
		t.Errorf("legend = %q", got)
	}
	// The French alias and another organization's serie.
	expectStatus(t, e.cl.Get(fmt.Sprintf("/tableau-de-bord/organisation/%s/serie/%s/declaration", e.org.ID, serie)), 200)
	stranger := newEnv(t, e.Harness)
	strangerPage := fmt.Sprintf("/dashboard/organization/%s/serie/%s/declaration", stranger.org.ID, serie)
	expectStatus(t, stranger.cl.Get(strangerPage), 404)
	// Nor can they save, group by group or whole, or use its look-ups.
	expectStatus(t, stranger.cl.PostForm(strangerPage, url.Values{"organisms": {"", "SACEM"}, "_was.organisms": {"organisms="}}), 404)
	expectStatus(t, stranger.cl.PostForm(strangerPage+"/fields", url.Values{"_group": {"organisms"}, "organisms": {"", "SACEM"}}), 404)
	expectStatus(t, stranger.cl.Get(strangerPage+"/addresses?_q=rue"), 404)
	expectStatus(t, stranger.cl.Get(strangerPage+"/companies?_q=compagnie"), 404)
}

func TestAdminReadOnlyView(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	serie, _ := e.workedExample("SACEM")
	admin := e.Client()
	admin.StartSession(e.CreateUser(apptest.UniqueEmail("decl-admin"), true), 0x7fffffff)
	r := admin.Get(fmt.Sprintf("/admin/organizations/%s/series/%s/declaration", e.org.ID, serie))
	expectStatus(t, r, 200)
	if r.Doc.Find("#f-expensesExcludingTaxes[disabled]").Length() != 1 || r.Doc.Find("[hx-post]").Length() != 0 {
		t.Error("the admin view is not read-only")
	}
	expectStatus(t, e.cl.Get(fmt.Sprintf("/admin/organizations/%s/series/%s/declaration", e.org.ID, serie)), 404)
}

// The look-ups of the organization creation: an address found fills the
// serie's place, a company found the producer.
func TestAddressAndProducerLookUps(t *testing.T) {
	t.Parallel()
	e, serie, _, _ := open(t, "SACEM")
	r := e.cl.Get(e.page(serie)+"/addresses?_q=4+rue+Jean+Moulin", "HX-Request", "true")
	expectStatus(t, r, 200)
	vals, _ := r.Doc.Find("button[hx-vals]").Attr("hx-vals")
	if !strings.Contains(vals, `"placeStreet":"4 Rue Jean Moulin"`) || !strings.Contains(vals, `"placeCity":"Rennes"`) {
		t.Fatalf("address pick = %s", vals)
	}
	// Choosing it posts the group with the address over the typed name.
	r = e.saveField(serie, "defaults", url.Values{"placeName": {"Le Liberté"}, "placeStreet": {"4 Rue Jean Moulin"}, "placePostalCode": {"35000"}, "placeCity": {"Rennes"}})
	expectStatus(t, r, 200)
	if got := e.str(`SELECT p.name || ', ' || a.city FROM event_series s JOIN places p ON p.id = s.place_id JOIN addresses a ON a.id = p.address_id WHERE s.id = ?`, serie); got != "Le Liberté, Rennes" {
		t.Errorf("place = %q", got)
	}
	r = e.cl.Get(e.page(serie)+"/companies?_q=numerique", "HX-Request", "true")
	expectStatus(t, r, 200)
	if vals, _ := r.Doc.Find("button[hx-vals]").Attr("hx-vals"); !strings.Contains(vals, `"producerOfficialId":"130025265"`) {
		t.Errorf("company pick = %s", vals)
	}
}

// The business messages of the page itself.
func TestBusinessMessages(t *testing.T) {
	t.Parallel()
	e, serie, _, _ := open(t, "SACEM")
	e.exec(`INSERT INTO event_serie_declarations (event_serie_id, type, status, last_transmission_error, last_transmission_error_at) VALUES (?, 'SACEM', 'PENDING', 'sacemAgencyNotFound', now())`, serie)
	r := e.cl.Get(e.page(serie))
	if !strings.Contains(r.Body, "Un problème est survenu lors de la transmission de cette déclaration, veuillez retenter ou contacter notre support") {
		t.Error("no message for a failed transmission")
	}
	expectStatus(t, e.saveField(serie, "organisms", url.Values{"organisms": {"", "CNM"}}), 422)
	if got := e.saveField(serie, "organisms", url.Values{"organisms": {"", "CNM"}}).Text("#organisms-messages"); got != "Cet organisme n’est pas proposé" {
		t.Errorf("unknown organism: %q", got)
	}
	e.exec(`UPDATE event_serie_declarations SET status = 'PROCESSED', transmitted_at = now() WHERE event_serie_id = ?`, serie)
	r = e.saveField(serie, "expenses", url.Values{"expensesExcludingTaxes": {"1"}})
	expectStatus(t, r, 409)
	if !strings.Contains(r.Body, "Une déclaration déjà transmise auprès d&#39;un organisme ne peut pas être modifiée") && !strings.Contains(r.Body, "Une déclaration déjà transmise auprès d’un organisme ne peut pas être modifiée") {
		t.Errorf("read-only message missing:\n%s", r.Body)
	}
	r = e.cl.Get(e.page(uuid.New()))
	expectStatus(t, r, 404)
	if !strings.Contains(r.Body, "Ce spectacle n&#39;existe pas") && !strings.Contains(r.Body, "Ce spectacle n’existe pas") {
		t.Error("unknown serie message missing")
	}
}

// A stored value in error in another group (as a synchronization could bring)
// does not block saving a field elsewhere.
func TestStoredErrorElsewhereDoesNotBlock(t *testing.T) {
	t.Parallel()
	e, serie, events, _ := open(t, "SACEM")
	e.exec(`UPDATE events SET ticketing_revenue_including_taxes = 90 WHERE id = ?`, events[0]) // below its 100 HT
	expectStatus(t, e.saveField(serie, "expenses", url.Values{"expensesExcludingTaxes": {"2600"}}), 200)
	r := e.saveField(serie, "e-"+events[0].String()+"-ticketing", url.Values{ev(events[0], "paidTickets"): {"11"}})
	expectStatus(t, r, 422)
	if got := fieldMessage(r, events, ev(events[0], "ticketingRevenueIncludingTaxes")); got != "Le montant TTC ne peut être inférieur au montant HT" {
		t.Errorf("the group's own stored error = %q", got)
	}
}

// A place suggested by name brings its address, as choosing it in the list does.
func TestSuggestedPlaceBringsItsAddress(t *testing.T) {
	t.Parallel()
	e, serie, _, _ := open(t, "SACEM")
	expectStatus(t, e.saveField(serie, "defaults", url.Values{"placeName": {"La Cigale"}, "placeStreet": {"8 rue du Suggéré"}, "placePostalCode": {"75018"}, "placeCity": {"Paris"}}), 200)
	other, _ := e.workedExample("SACD")
	r := e.cl.Get(e.page(other))
	if r.Doc.Find(`#suggested-places option[value="La Cigale"]`).Length() != 1 {
		t.Error("the organization's place is not suggested")
	}
	r = e.saveField(other, "defaults", url.Values{"placeName": {"La Cigale"}})
	expectStatus(t, r, 200)
	if got, _ := r.Doc.Find("#f-placeCity").Attr("value"); got != "Paris" {
		t.Errorf("the suggested place's address is not filled in: %q", got)
	}
	if e.str(`SELECT count(*)::text FROM places WHERE organization_id = ?`, e.org.ID) != "1" {
		t.Error("the suggested place is not reused")
	}
}

// The page names a performance by its index in start order, not by its id:
// a group posted as htmx posts it saves on its own performance even after a
// synchronization added an earlier one, and the id is written once per group.
func TestPageNamesOfPerformancesMapBackToTheirIDs(t *testing.T) {
	t.Parallel()
	e, serie, events, page := open(t, "SACEM")
	if n := strings.Count(page.Body, events[1].String()); n != 4 {
		t.Errorf("the id of a performance is written %d times, want 4 (its hidden input and the hx-vals of its 3 groups)", n)
	}
	group := page.Doc.Find("#group-e1-ticketing")
	v := url.Values{}
	var vals map[string]string
	if err := json.Unmarshal([]byte(group.AttrOr("hx-vals", "")), &vals); err != nil {
		t.Fatal(err)
	}
	for k, val := range vals {
		v.Set(k, val)
	}
	group.Find("input").Each(func(_ int, s *goquery.Selection) { v.Set(s.AttrOr("name", ""), s.AttrOr("value", "")) })
	group.Find("select").Each(func(_ int, s *goquery.Selection) {
		v.Set(s.AttrOr("name", ""), s.Find("option[selected]").AttrOr("value", ""))
	})
	for name := range v {
		if !strings.Contains(","+group.AttrOr("hx-params", "")+",", ","+name+",") {
			t.Errorf("%s is not in the group's hx-params", name)
		}
	}
	v.Set("e1.paidTickets", "12")
	e.exec(`INSERT INTO events (event_serie_id, internal_ticketing_system_id, start_at, paid_tickets) VALUES (?, 'earlier', '2026-01-01 20:00+01', 3)`, serie)

	r := e.cl.PostForm(e.page(serie)+"/fields", v, "HX-Request", "true")
	expectStatus(t, r, 200)
	if got := e.str(`SELECT paid_tickets::text FROM events WHERE id = ?`, events[1]); got != "12" {
		t.Errorf("the performance posted as e1 has %s paid tickets, want 12", got)
	}
	if got := e.str(`SELECT string_agg(paid_tickets::text, ',' ORDER BY start_at) FROM events WHERE event_serie_id = ?`, serie); got != "3,10,12,99" {
		t.Errorf("paid tickets = %s, want only the posted performance changed", got)
	}
}

// The page suggests the producers (each once) and the capacities (each once,
// ascending) of the organization's series saved or declared before, not
// those of a serie never touched.
func TestSuggestedProducersAndCapacities(t *testing.T) {
	t.Parallel()
	e, serie, _, _ := open(t, "SACEM")
	saved, declared, untouched := uuid.New(), uuid.New(), uuid.New()
	for _, s := range []uuid.UUID{saved, declared, untouched} {
		e.exec(`INSERT INTO event_series (id, ticketing_system_id, internal_ticketing_system_id, name) VALUES (?, ?, ?, 'Autre')`,
			s, e.system("BILLETWEB"), s.String())
	}
	e.exec(`UPDATE event_series SET producer_official_id = '552100554', producer_name = 'Prod Une', place_capacity = 300, last_manual_update_at = now() WHERE id = ?`, saved)
	e.exec(`UPDATE event_series SET producer_official_id = '552100554', producer_name = 'Prod Une', place_capacity = 120 WHERE id = ?`, declared)
	e.exec(`INSERT INTO event_serie_declarations (event_serie_id, type, status) VALUES (?, 'SACEM', 'PENDING')`, declared)
	e.exec(`UPDATE event_series SET producer_official_id = '732829320', producer_name = 'Prod Deux', place_capacity = 50 WHERE id = ?`, untouched)
	r := e.cl.Get(e.page(serie))
	expectStatus(t, r, 200)
	var producers, capacities []string
	r.Doc.Find("#suggested-producer-names option").Each(func(_ int, o *goquery.Selection) { producers = append(producers, o.AttrOr("value", "")) })
	r.Doc.Find("#suggested-capacities option").Each(func(_ int, o *goquery.Selection) { capacities = append(capacities, o.AttrOr("value", "")) })
	if strings.Join(producers, "|") != "Prod Une" {
		t.Errorf("suggested producers = %q, want Prod Une once", producers)
	}
	if strings.Join(capacities, "|") != "120|300" {
		t.Errorf("suggested capacities = %q, want 120 and 300", capacities)
	}
}
