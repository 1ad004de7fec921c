package sacd

import (
	"errors"
	"testing"
)

// Whatever SACD answers, reading it never panics, and it is either a receipt
// with SACD's header or an *Error.
func FuzzReadDeclareAnswer(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0"?><Declaration><Header><dec_ref>1</dec_ref><dec_nb>1</dec_nb><sacd_date>d</sacd_date></Header>` +
		`<Representations><Representation><numero>1</numero><statut>KO</statut><champ>c</champ><message>m</message></Representation></Representations></Declaration>`))
	f.Add([]byte(`{"Error":{"Code":"ERR_WS_DEC_REF","Message":"x"}}`))
	f.Add([]byte(`{"Error":null}`))
	f.Add([]byte(`<html>maintenance</html>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		receipt := &Receipt{}
		err := readDeclareAnswer(receipt, 200, body, []string{"secret"})
		var e *Error
		switch {
		case err == nil && receipt.DecRef == "":
			t.Fatal("accepted without dec_ref")
		case err != nil && !errors.As(err, &e):
			t.Fatalf("untyped error %v", err)
		case e != nil && len([]rune(e.Excerpt)) > 300:
			t.Fatal("excerpt too long")
		}
	})
}
