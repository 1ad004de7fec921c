package agencies

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name     string
		organism Organism
		file     string
		want     map[string]string // e-mail -> codes joined by ";"
		wantErr  string
	}{
		{name: "sacem grouped and sorted", organism: Sacem,
			file: "LOCAL,CP,Mail\nR,35200,b@sacem.test\nR,35000,b@sacem.test\nP,75001,a@sacem.test\nR,35000,b@sacem.test\n",
			want: map[string]string{"a@sacem.test": "75001", "b@sacem.test": "35000;35200"}},
		{name: "sacem trims and lower-cases", organism: Sacem,
			file: "LOCAL,CP,Mail\n R , 35000 ,  Agence@SACEM.Test \n",
			want: map[string]string{"agence@sacem.test": "35000"}},
		{name: "columns found by name, in any order and case", organism: Sacem,
			file: "mail,Extra,cp,local\nx@sacem.test,?,35000,R\n",
			want: map[string]string{"x@sacem.test": "35000"}},
		{name: "BOM and CRLF", organism: Sacem,
			file: "\ufeffLOCAL,CP,Mail\r\nR,35000,x@sacem.test\r\n\r\n",
			want: map[string]string{"x@sacem.test": "35000"}},
		{name: "quoted label with a comma", organism: Sacem,
			file: "LOCAL,CP,Mail\n\"Rennes, Bretagne\",35000,x@sacem.test\n",
			want: map[string]string{"x@sacem.test": "35000"}},
		{name: "sacd special departments", organism: Sacd,
			file: "Département,mail\nMonaco,c@sacd.test\n2A,c@sacd.test\n2b,c@sacd.test\n2A/2B,c@sacd.test\n971,o@sacd.test\n69003,l@sacd.test\n",
			want: map[string]string{"c@sacd.test": "20;980", "o@sacd.test": "971", "l@sacd.test": "69003"}},

		{name: "sacem 4-digit code", organism: Sacem, file: "LOCAL,CP,Mail\nR,3500,x@sacem.test\n", wantErr: "line 2: column CP"},
		{name: "sacem letters in code", organism: Sacem, file: "LOCAL,CP,Mail\nR,35000,x@sacem.test\nR,2A004,x@sacem.test\n", wantErr: "line 3: column CP"},
		{name: "sacem empty label", organism: Sacem, file: "LOCAL,CP,Mail\n ,35000,x@sacem.test\n", wantErr: "line 2: column LOCAL"},
		{name: "sacem bad email", organism: Sacem, file: "LOCAL,CP,Mail\nR,35000,agence at sacem\n", wantErr: "line 2: column Mail"},
		{name: "sacem email without a domain dot", organism: Sacem, file: "LOCAL,CP,Mail\nR,35000,agence@sacem\n", wantErr: "line 2: column Mail"},
		{name: "sacem missing column", organism: Sacem, file: "LOCAL,Mail\nR,x@sacem.test\n", wantErr: "line 1: the header lacks the column CP"},
		{name: "sacd one-digit prefix", organism: Sacd, file: "Département,mail\n3,x@sacd.test\n", wantErr: "line 2: column Département"},
		{name: "sacd six-digit prefix", organism: Sacd, file: "Département,mail\n350001,x@sacd.test\n", wantErr: "line 2: column Département"},
		{name: "sacd unknown name", organism: Sacd, file: "Département,mail\nAndorre,x@sacd.test\n", wantErr: "line 2: column Département"},
		{name: "sacd empty email", organism: Sacd, file: "Département,mail\n35,\n", wantErr: "line 2: column mail"},
		{name: "line numbers count CRLF lines", organism: Sacd, file: "Département,mail\r\n35,x@sacd.test\r\n\r\n2C,x@sacd.test\r\n", wantErr: "line 4: column Département"},
		{name: "empty file", organism: Sacd, file: "", wantErr: "line 1: the file is empty"},
		{name: "header only", organism: Sacd, file: "Département,mail\n", wantErr: "the file lists no agency"},
		{name: "broken quotes", organism: Sacd, file: "Département,mail\n\"35,x@sacd.test\n", wantErr: "extraneous or missing \" in quoted-field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.organism, strings.NewReader(tc.file))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "agencies: read the "+string(tc.organism)+" file: ") {
					t.Errorf("error lacks its context: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			codes := map[string]string{}
			for i, a := range got {
				if a.Organism != tc.organism {
					t.Errorf("organism = %s", a.Organism)
				}
				if i > 0 && got[i-1].Email >= a.Email {
					t.Errorf("agencies not sorted by e-mail: %q before %q", got[i-1].Email, a.Email)
				}
				codes[a.Email] = strings.Join(a.Codes, ";")
			}
			if !reflect.DeepEqual(codes, tc.want) {
				t.Errorf("agencies = %v, want %v", codes, tc.want)
			}
		})
	}
}

func TestLineErrorIsTyped(t *testing.T) {
	_, err := Parse(Sacd, strings.NewReader("Département,mail\n35,x@sacd.test\n35,bad\n"))
	var le *LineError
	if !errors.As(err, &le) || le.Line != 3 || le.Column != "mail" || le.Value != "bad" {
		t.Fatalf("error = %#v", err)
	}
}

func TestSacdPrefixes(t *testing.T) {
	for in, want := range map[string][]string{
		"69003": {"69003", "690", "69"},
		"20000": {"20000", "200", "20"},
		"350":   {"350", "35"},
		"35":    {"35"},
		"3":     nil,
	} {
		if got := sacdPrefixes(in); !reflect.DeepEqual(got, want) {
			t.Errorf("sacdPrefixes(%q) = %q, want %q", in, got, want)
		}
	}
}
