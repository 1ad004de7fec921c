package config

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"
)

// .env.example and the README table must name every variable Parse reads.
func TestEveryVariableIsDocumented(t *testing.T) {
	read := map[string]bool{}
	_, _ = Parse(func(k string) (string, bool) { read[k] = true; return "", false })
	// Parse stops reading secrets' _FILE variants only when unset; keep the plain names.
	example, err := os.Open("../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	defer example.Close()
	values, err := parseDotEnv(".env.example", bufio.NewScanner(example))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	suffix := regexp.MustCompile(`_FILE$`)
	for name := range read {
		if suffix.MatchString(name) {
			continue
		}
		if _, ok := values[name]; !ok {
			t.Errorf(".env.example lacks %s", name)
		}
		if !strings.Contains(string(readme), "`"+name+"`") {
			t.Errorf("README.md lacks %s", name)
		}
	}
}
