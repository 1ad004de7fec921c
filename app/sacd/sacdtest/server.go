// Package sacdtest is an HTTP fake of SACD's declaration web service: it
// checks the login and the signatures of the calls, the form fields and the
// headers, keeps the declarations it receives, and answers as SACD does, or
// fails in the way a test asks.
package sacdtest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"assistant-declaration/app/sacd"
	"assistant-declaration/config"
)

// Failure is how the fake answers the declarations that follow.
type Failure int

// Failures the fake can play.
const (
	// Succeed answers OK for every representation.
	Succeed Failure = iota
	// Warning accepts every representation, the first with a WARNING.
	Warning
	// KO answers KO for the first representation.
	KO
	// IncorrectDeclarant answers the JSON error ERR_WS_DEC_REF (status 200).
	IncorrectDeclarant
	// OtherError answers another JSON error, ERR_WS_UNKNOWN (status 200).
	OtherError
	// ServerError answers 500 to the declaration.
	ServerError
	// LoginServerError answers 500 to the login.
	LoginServerError
	// Hang never answers the declaration (until the client gives up).
	Hang
	// Malformed answers 200 with a body that is neither SACD's XML nor JSON.
	Malformed
)

// Fixed credentials of the fake: Config gives them to the client.
const (
	ConsumerKey      = "consumer-key-sacdtest"
	SecretKey        = "secret-key-sacdtest"
	ProviderName     = "ASSISTANT_DECLARATION_TEST"
	ProviderRefFile  = "reffile-sacdtest"
	ProviderPassword = "password-sacdtest"
)

// Server is a running fake.
type Server struct {
	*httptest.Server

	mu           sync.Mutex
	failure      Failure
	tokens       map[string]bool
	logins       int
	declarations []string
	release      chan struct{}
}

// New starts a fake, stopped at the end of the test.
func New(t testing.TB) *Server {
	s := &Server{tokens: map[string]bool{}, release: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /ticketing/auto-access.json", s.login)
	mux.HandleFunc("POST /ticketing/broker/ExploitFileTransmitETicketingDeclarationWS", s.declare)
	s.Server = httptest.NewServer(mux)
	t.Cleanup(func() {
		close(s.release) // hanging handlers end first, so Close does not wait for them
		s.Close()
	})
	return s
}

// Config is the client configuration that reaches this fake.
func (s *Server) Config() sacd.Config {
	return sacd.Config{SacdAPI: s.API()}
}

// API is the configuration (SACD_API_* variables) that reaches this fake.
func (s *Server) API() config.SacdAPI {
	return config.SacdAPI{BaseURL: s.URL, ConsumerKey: ConsumerKey, SecretKey: SecretKey,
		ProviderName: ProviderName, ProviderRefFile: ProviderRefFile, ProviderPassword: ProviderPassword}
}

// Fail sets how the next declarations are answered.
func (s *Server) Fail(f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failure = f
}

// Logins counts the successful logins.
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// Declarations are the XML documents of the correctly signed declaration
// requests received, in order, whatever the answer.
func (s *Server) Declarations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.declarations...)
}

// refuse answers a request the real service would not accept, naming why.
func refuse(w http.ResponseWriter, format string, args ...any) {
	http.Error(w, "sacdtest: "+fmt.Sprintf(format, args...), http.StatusBadRequest)
}

var wantHeaders = map[string]string{
	"Content-Type":    "application/x-www-form-urlencoded",
	"Accept":          "text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8",
	"Accept-Language": "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7",
}

// checkForm parses the body and checks the headers and the given fields.
func checkForm(w http.ResponseWriter, r *http.Request, fields map[string]string) bool {
	for k, v := range wantHeaders {
		if got := r.Header.Get(k); got != v {
			refuse(w, "header %s = %q, want %q", k, got, v)
			return false
		}
	}
	if r.Header.Get("User-Agent") == "" {
		refuse(w, "no User-Agent")
		return false
	}
	if err := r.ParseForm(); err != nil {
		refuse(w, "form: %v", err)
		return false
	}
	for k, v := range fields {
		if got := r.PostForm.Get(k); got != v {
			refuse(w, "field %s = %q is wrong", k, got) // the expected value may be a secret
			return false
		}
	}
	return true
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if s.failureIs(LoginServerError) {
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	if !checkForm(w, r, map[string]string{
		"login[login]":        ProviderRefFile,
		"login[password]":     sacd.Md5Hex(ProviderPassword),
		"login[consumer_key]": ConsumerKey,
	}) {
		return
	}
	s.mu.Lock()
	s.logins++
	token := "auth-token-" + strconv.Itoa(s.logins)
	s.tokens[token] = true
	s.mu.Unlock()
	writeJSON(w, map[string]string{"AuthToken": token})
}

func (s *Server) failureIs(f Failure) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failure == f
}

// signed reports whether the query carries the consumer key and the md5
// signature of a token the fake issued.
func (s *Server) signed(r *http.Request) bool {
	q := r.URL.Query()
	if q.Get("key") != ConsumerKey {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for token := range s.tokens {
		if q.Get("token") == sacd.Md5Hex(SecretKey+token) {
			return true
		}
	}
	return false
}

// declaration is what the fake reads of a declaration parameter.
type declaration struct {
	XMLName    xml.Name `xml:"Declaration"`
	DecRef     string   `xml:"Header>dec_ref"`
	References []string `xml:"Representations>Representation>rep_ref_dec"`
}

// answer is SACD's XML answer to a declaration.
type answer struct {
	XMLName         xml.Name               `xml:"Declaration"`
	DecRef          string                 `xml:"Header>dec_ref"`
	DecNb           int                    `xml:"Header>dec_nb"`
	SacdDate        string                 `xml:"Header>sacd_date"`
	Representations []answerRepresentation `xml:"Representations>Representation"`
}

type answerRepresentation struct {
	Reference string `xml:"rep_ref_dec,omitempty"`
	Number    int    `xml:"numero"`
	Status    string `xml:"statut"`
	Field     string `xml:"champ,omitempty"`
	Message   string `xml:"message,omitempty"`
}

func (s *Server) declare(w http.ResponseWriter, r *http.Request) {
	if !s.signed(r) {
		refuse(w, "bad key or token signature")
		return
	}
	if !checkForm(w, r, map[string]string{
		"parameters[Application]":  ProviderName,
		"parameters[LoginRefFile]": ProviderRefFile,
		"parameters[Language]":     "FR",
	}) {
		return
	}
	doc := r.PostForm.Get("parameters[Declaration]")
	var d declaration
	if err := xml.Unmarshal([]byte(doc), &d); err != nil || len(d.References) == 0 {
		refuse(w, "parameters[Declaration] is not a declaration: %v", err)
		return
	}
	s.mu.Lock()
	s.declarations = append(s.declarations, doc)
	failure := s.failure
	s.mu.Unlock()

	switch failure {
	case IncorrectDeclarant:
		writeJSON(w, map[string]any{"Error": map[string]string{"Code": "ERR_WS_DEC_REF", "Message": "Référence déclarant inconnue"}})
		return
	case OtherError:
		writeJSON(w, map[string]any{"Error": map[string]string{"Code": "ERR_WS_UNKNOWN", "Message": "Erreur inattendue"}})
		return
	case ServerError:
		http.Error(w, "<html><body>500 Internal Server Error, token "+r.URL.Query().Get("token")+"</body></html>", http.StatusInternalServerError)
		return
	case Hang:
		select {
		case <-r.Context().Done():
		case <-s.release:
		}
		return
	case Malformed:
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><body>Maintenance en cours</body></html>")) // the client's failure is the test's subject
		return
	}
	a := answer{DecRef: d.DecRef, DecNb: len(d.References), SacdDate: time.Now().Format("2006-01-02 15:04:05")}
	for i, ref := range d.References {
		rep := answerRepresentation{Reference: ref, Number: i + 1, Status: "OK"}
		if i == 0 && failure == KO {
			rep.Status, rep.Field, rep.Message = "KO", "rep_mt_billets", "Le montant des billets est incohérent"
		}
		if i == 0 && failure == Warning {
			rep.Status, rep.Field, rep.Message = "WARNING", "salle_jauge", "Jauge inhabituelle"
		}
		a.Representations = append(a.Representations, rep)
	}
	body, err := xml.MarshalIndent(a, "", "  ")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	_, _ = w.Write(append([]byte(xml.Header), body...)) // a failed write is the client's failure, which the test sees
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v) // a failed write is the client's failure, which the test sees
}
