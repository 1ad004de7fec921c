package sacempdf

import (
	_ "embed" // the fonts are part of the binary

	"codeberg.org/go-pdf/fpdf"
)

// The fonts and their licences are in fonts/ (see fonts/README.md).
var (
	//go:embed fonts/LiberationSans-Regular.ttf
	textRegular []byte
	//go:embed fonts/LiberationSans-Bold.ttf
	textBold []byte
	//go:embed fonts/Kristi.ttf
	script []byte
)

// Font families as the documents name them.
const (
	textFont   = "text"
	scriptFont = "script"
)

// addFonts registers the embedded fonts; fpdf embeds in the PDF only the
// glyphs the document uses.
func addFonts(pdf *fpdf.Fpdf) {
	pdf.AddUTF8FontFromBytes(textFont, "", textRegular)
	pdf.AddUTF8FontFromBytes(textFont, "B", textBold)
	pdf.AddUTF8FontFromBytes(scriptFont, "", script)
}
