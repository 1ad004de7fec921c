package agencies

import (
	"bytes"
	"context"
	"embed"

	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
)

// The demonstration agencies are the fictional ones of the tests (.test
// domains): the real lists are private.
//
//go:embed testdata/sacem-agencies.sample.csv testdata/sacd-agencies.sample.csv
var demoFiles embed.FS

var demoFileOf = map[Organism]string{
	Sacem: "testdata/sacem-agencies.sample.csv",
	Sacd:  "testdata/sacd-agencies.sample.csv",
}

// SeedDemo gives each organism without any agency the fictional demonstration
// agencies, so declarations can be routed in development. Agencies already
// imported, real or not, are left alone.
func SeedDemo(ctx context.Context, idb bun.IDB) (err error) {
	defer derrors.Wrap(&err, "agencies: demo seed")
	for _, organism := range []Organism{Sacem, Sacd} {
		exists, err := idb.NewSelect().Model((*Agency)(nil)).Where("organism = ?", organism).Exists(ctx)
		if err != nil {
			return err
		}
		if exists {
			continue
		}
		file, err := demoFiles.ReadFile(demoFileOf[organism])
		if err != nil {
			return err
		}
		if _, err := Import(ctx, idb, organism, bytes.NewReader(file)); err != nil {
			return err
		}
	}
	return nil
}
