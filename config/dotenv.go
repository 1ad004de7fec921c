package config

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strings"

	"assistant-declaration/app/derrors"
)

var envKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// loadDotEnv sets the variables of a KEY=VALUE file that are not already in the
// environment. A missing file is fine; a malformed line is reported with its
// number (godotenv reports no line numbers, hence this small reader).
func loadDotEnv(path string) (err error) {
	defer derrors.Wrap(&err, "config: load %s", path)
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	values, err := parseDotEnv(path, bufio.NewScanner(f))
	if err != nil {
		return err
	}
	for k, v := range values {
		if _, set := os.LookupEnv(k); !set {
			_ = os.Setenv(k, v) // fails only on a key with "=" or NUL, which parseDotEnv cannot produce
		}
	}
	return nil
}

func parseDotEnv(path string, sc *bufio.Scanner) (_ map[string]string, err error) {
	defer derrors.Wrap(&err, "config: parse %s", path)
	values := map[string]string{}
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		key, value, ok := strings.Cut(line, "=")
		key = strings.TrimSpace(key)
		if !ok || !envKey.MatchString(key) {
			return nil, fmt.Errorf("%w: %s line %d: expected KEY=VALUE", ErrDotEnv, path, n)
		}
		value = strings.TrimSpace(value)
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') {
			if value[len(value)-1] != value[0] {
				return nil, fmt.Errorf("%w: %s line %d: unterminated quoted value", ErrDotEnv, path, n)
			}
			value = value[1 : len(value)-1]
		} else if i := strings.Index(value, " #"); i >= 0 {
			value = strings.TrimSpace(value[:i])
		}
		values[key] = value
	}
	return values, sc.Err()
}
