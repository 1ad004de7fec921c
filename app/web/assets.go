package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
)

// Assets serves the embedded static files under /static/<hash>/..., where the
// hash covers every file: a new release changes every URL, so files can be
// cached for a year.
type Assets struct {
	fsys fs.FS
	hash string
}

// NewAssets hashes the asset tree once at start-up.
func NewAssets(fsys fs.FS) (*Assets, error) {
	h := sha256.New()
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := fsys.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		_, _ = io.WriteString(h, path) // a hash.Hash never returns a write error
		_, err = io.Copy(h, f)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("web: hash the assets: %w", err)
	}
	return &Assets{fsys: fsys, hash: hex.EncodeToString(h.Sum(nil))[:12]}, nil
}

// URL returns the cache-busting URL of an asset path ("dsfr/dsfr.min.css").
func (a *Assets) URL(path string) string {
	return "/static/" + a.hash + "/" + strings.TrimPrefix(path, "/")
}

// Install mounts the asset handler. Any hash is accepted so a page served by
// an older instance during a rolling deploy still gets its files.
func (a *Assets) Install(app *fiber.App) {
	root := http.FS(a.fsys)
	app.Get("/static/:hash/*", func(c *fiber.Ctx) error {
		if err := filesystem.SendFile(c, root, "/"+c.Params("*")); err != nil {
			return err
		}
		switch {
		case c.Response().StatusCode() != fiber.StatusOK:
		case c.Params("hash") == a.hash:
			c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		default:
			// Another release's URL (rolling deploy): serve what we have, but
			// never let it be cached under that release's name.
			c.Set(fiber.HeaderCacheControl, "no-cache")
		}
		return nil
	})
}
