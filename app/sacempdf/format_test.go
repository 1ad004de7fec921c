package sacempdf

import (
	"encoding/binary"
	"testing"
	"unicode"
)

// glyphs reads the Unicode (Windows BMP, format 4) cmap of a TrueType font:
// whether each character of the BMP has a glyph.
func glyphs(t *testing.T, font []byte) func(r rune) bool {
	t.Helper()
	u16 := func(at int) int { return int(binary.BigEndian.Uint16(font[at:])) }
	u32 := func(at int) int { return int(binary.BigEndian.Uint32(font[at:])) }
	cmap := -1
	for i := range u16(4) {
		if string(font[12+16*i:16+16*i]) == "cmap" {
			cmap = u32(12 + 16*i + 8)
		}
	}
	sub := -1
	for i := range u16(cmap + 2) {
		rec := cmap + 4 + 8*i
		if u16(rec) == 3 && u16(rec+2) == 1 && u16(cmap+u32(rec+4)) == 4 {
			sub = cmap + u32(rec+4)
		}
	}
	if sub < 0 {
		t.Fatal("the font has no format 4 Unicode cmap")
	}
	segments := u16(sub+6) / 2
	ends, starts, deltas, offsets := sub+14, sub+16+2*segments, sub+16+4*segments, sub+16+6*segments
	return func(r rune) bool {
		c := int(r)
		for i := range segments {
			if c > u16(ends+2*i) {
				continue
			}
			start := u16(starts + 2*i)
			if c < start {
				return false
			}
			delta, offset := u16(deltas+2*i), u16(offsets+2*i)
			if offset == 0 {
				return (c+delta)&0xffff != 0
			}
			return u16(offsets+2*i+offset+2*(c-start)) != 0
		}
		return false
	}
}

// The script font draws every character scriptCanWrite accepts, and lacks
// the French letters it refuses.
func TestScriptRunesAreTheScriptFontsGlyphs(t *testing.T) {
	has := glyphs(t, script)
	for r := rune(0); r <= 0xffff; r++ {
		if unicode.Is(scriptRunes, r) && !has(r) {
			t.Errorf("the script font has no glyph for %U %q", r, r)
		}
	}
	for _, r := range "œŒŸ" {
		if has(r) || scriptCanWrite(string(r)) {
			t.Errorf("%q: the font has it: %v; scriptCanWrite: %v", r, has(r), scriptCanWrite(string(r)))
		}
	}
	if !scriptCanWrite("Hélène Garçon-Ådnø") || scriptCanWrite("Lœtitia") {
		t.Error("scriptCanWrite is wrong on French names")
	}
	// The French strings write the typographic apostrophe, in both weights.
	for _, font := range [][]byte{textRegular, textBold} {
		if text := glyphs(t, font); !text('œ') || !text('€') || !text('\u00a0') || !text('’') {
			t.Error("a text font lacks œ, €, the no-break space or the apostrophe ’")
		}
	}
}
