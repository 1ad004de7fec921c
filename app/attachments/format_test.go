package attachments

import (
	"testing"

	"assistant-declaration/app/locale"
)

func TestFormatSize(t *testing.T) {
	for _, tt := range []struct {
		lang string
		size int64
		want string
	}{
		{"fr", 0, "0 octets"},
		{"fr", 850, "850 octets"},
		{"fr", 12 << 10, "12 ko"},
		{"fr", 1536 << 10, "1,5 Mo"},
		{"fr", MaxFileSize, "5 Mo"},
		{"en", 1536 << 10, "1.5 MB"},
	} {
		if got := FormatSize(locale.For(tt.lang), tt.size); got != tt.want {
			t.Errorf("FormatSize(%s, %d) = %q, want %q", tt.lang, tt.size, got, tt.want)
		}
	}
}

func TestContentDisposition(t *testing.T) {
	for name, want := range map[string]string{
		"contrat.pdf":          `attachment; filename="contrat.pdf"`,
		`a"b\c.pdf`:            `attachment; filename="a_b_c.pdf"; filename*=UTF-8''a%22b%5Cc.pdf`,
		"Bordereau été.xlsx":   `attachment; filename="Bordereau _t_.xlsx"; filename*=UTF-8''Bordereau%20%C3%A9t%C3%A9.xlsx`,
		"facture;\r\nX: y.pdf": `attachment; filename="facture;__X: y.pdf"; filename*=UTF-8''facture%3B%0D%0AX%3A%20y.pdf`,
	} {
		if got := ContentDisposition(name); got != want {
			t.Errorf("ContentDisposition(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		`C:\fakepath\contrat.pdf`: "contrat.pdf",
		"../../etc/passwd":        "passwd",
		" a\x00b.pdf ":            "ab.pdf",
		"..":                      "document",
		"":                        "document",
	} {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
}
