package agencies

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"assistant-declaration/app/db"
	"assistant-declaration/app/derrors"
)

// Result counts what an import changed.
type Result struct {
	Organism                             Organism
	Created, Updated, Deleted, Unchanged int
}

// Changed reports whether the import wrote anything.
func (r Result) Changed() bool { return r.Created+r.Updated+r.Deleted > 0 }

func (r Result) String() string {
	if !r.Changed() {
		return fmt.Sprintf("%s agencies: the file matches the %d agencies in the database, nothing changed", r.Organism, r.Unchanged)
	}
	return fmt.Sprintf("%s agencies: %d created, %d updated, %d deleted, %d unchanged", r.Organism, r.Created, r.Updated, r.Deleted, r.Unchanged)
}

// Import replaces the organism's agencies by those of its file, in one
// transaction, keyed by e-mail: new e-mails are created, the codes of known
// ones updated, the e-mails absent from the file deleted. An invalid row
// changes nothing. Importing the same file again changes nothing.
func Import(ctx context.Context, idb bun.IDB, organism Organism, file io.Reader) (_ Result, err error) {
	defer derrors.Wrap(&err, "agencies: import %s", organism)
	parsed, err := Parse(organism, file) // its errors say they read the file
	if err != nil {
		return Result{}, err
	}
	res := Result{Organism: organism}
	err = db.RunInTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		res = Result{Organism: organism}
		// Two imports at once would each create what the other creates;
		// routing reads are not blocked by this mode.
		if _, err := tx.ExecContext(ctx, "LOCK TABLE agencies IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return err
		}
		var existing []Agency
		if err := tx.NewSelect().Model(&existing).Where("organism = ?", organism).Scan(ctx); err != nil {
			return err
		}
		known := map[string]Agency{}
		for _, a := range existing {
			known[a.Email] = a
		}
		for _, a := range parsed {
			old, ok := known[a.Email]
			delete(known, a.Email)
			switch {
			case !ok:
				if _, err := tx.NewInsert().Model(&a).ExcludeColumn("id", "created_at", "updated_at").Exec(ctx); err != nil {
					return fmt.Errorf("create %s: %w", a.Email, err)
				}
				res.Created++
			case !slices.Equal(sorted(old.Codes), a.Codes):
				if _, err := tx.NewUpdate().Model((*Agency)(nil)).Set("codes = ?", pgdialect.Array(a.Codes)).
					Set("updated_at = now()").Where("id = ?", old.ID).Exec(ctx); err != nil {
					return fmt.Errorf("update %s: %w", a.Email, err)
				}
				res.Updated++
			default:
				res.Unchanged++
			}
		}
		for email, gone := range known {
			if _, err := tx.NewDelete().Model((*Agency)(nil)).Where("id = ?", gone.ID).Exec(ctx); err != nil {
				return fmt.Errorf("delete %s: %w", email, err)
			}
			res.Deleted++
		}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

func sorted(codes []string) []string {
	out := slices.Clone(codes)
	slices.Sort(out)
	return out
}

const usage = "usage: agencies import sacem|sacd FILE"

// Command runs `agencies import sacem|sacd FILE` and prints what changed.
func Command(ctx context.Context, idb bun.IDB, args []string, out io.Writer) (err error) {
	defer derrors.Wrap(&err, "agencies: command %q", args)
	if len(args) != 3 || args[0] != "import" {
		return errors.New(usage)
	}
	organism := Organism(strings.ToUpper(args[1]))
	if _, ok := formats[organism]; !ok {
		return errors.New(usage)
	}
	f, err := os.Open(args[2])
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := Import(ctx, idb, organism, f)
	if err != nil {
		return fmt.Errorf("%w (nothing was changed)", err)
	}
	_, err = fmt.Fprintln(out, res)
	return err
}
