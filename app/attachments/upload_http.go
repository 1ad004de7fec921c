package attachments

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/web"
)

// flashes are the messages of the refusals without the file's name, for the
// flash of a page: it cannot carry arguments.
var flashes = map[string]string{
	refusedNoFile:      "attachments.flash.noFile",
	refusedTooLarge:    "attachments.flash.tooLarge",
	refusedType:        "attachments.flash.type",
	refusedTooMany:     "attachments.flash.tooMany",
	refusedInfected:    "attachments.flash.infected",
	refusedUnavailable: "attachments.flash.scanUnavailable",
}

// flashesOf returns the flash message of each kind of refusal, once.
func flashesOf(refused []Refusal) []string {
	var keys []string
	seen := map[string]bool{}
	for _, r := range refused {
		if !seen[r.Key] {
			seen[r.Key] = true
			keys = append(keys, flashes[r.Key])
		}
	}
	return keys
}

// uploadRoute matches the upload route (paths.AttachmentsRoute).
var uploadRoute = regexp.MustCompile(`^/dashboard/organization/[^/]+/serie/[^/]+/attachments/?$`)

// uploadTimeout bounds the work of one upload once its body is read.
const uploadTimeout = 2 * time.Minute

// MaxUploadBody bounds the body of one upload: ten files of MaxFileSize and
// their multipart framing. More files at once is a 413.
const MaxUploadBody = 10*MaxFileSize + 1<<20

// UploadLimits is the Fiber server's HeaderReceived hook. The application's
// body limit (8 MiB) cannot carry several files of 5 MiB, and its 30 s read
// timeout is too short for them on a slow uplink: the upload route alone gets
// MaxUploadBody and 5 minutes. The body stays bounded: fasthttp refuses a
// larger one before reading it, and parses the multipart form keeping at most
// 16 MiB of files in memory, the rest in temporary files it removes after the
// request.
func UploadLimits(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	path, _, _ := bytes.Cut(h.RequestURI(), []byte("?"))
	if string(h.Method()) == fiber.MethodPost && uploadRoute.Match(path) {
		return fasthttp.RequestConfig{MaxRequestBodySize: MaxUploadBody, ReadTimeout: 5 * time.Minute}
	}
	return fasthttp.RequestConfig{}
}

// Upload adds the files of the form's "files" field to the serie.
func (h *Handlers) Upload(c *fiber.Ctx) (err error) {
	defer derrors.Wrap(&err, "attachments: upload to serie %s", c.Params("eventSerieId"))
	orgID, serieID, err := ids(c)
	if err != nil {
		return err
	}
	var files []Upload
	form, err := c.MultipartForm()
	switch {
	case errors.Is(err, fasthttp.ErrNoMultipartForm):
		// A form without the file field (no JavaScript, nothing chosen in
		// an old browser): nothing to add.
	case err != nil:
		return fiber.NewError(fiber.StatusBadRequest, err.Error())
	default:
		for _, fh := range form.File["files"] {
			if fh.Filename == "" && fh.Size == 0 {
				continue // the empty part browsers send when no file was chosen
			}
			f, err := fh.Open()
			if err != nil {
				return fmt.Errorf("attachments: open upload %q: %w", fh.Filename, err)
			}
			defer f.Close()
			files = append(files, Upload{Name: fh.Filename, Content: f})
		}
	}
	// The request deadline (REQUEST_TIMEOUT) is sized for pages: checking,
	// scanning and storing up to MaxUploadBody of files gets its own.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), uploadTimeout)
	defer cancel()
	added, refused, err := h.svc.Upload(ctx, orgID, serieID, files, web.AuditActor(c))
	if err != nil {
		return err
	}
	if !web.IsHTMX(c) {
		if len(added) > 0 {
			web.AddFlash(c, "success", "attachments.flash.added")
		}
		for _, key := range flashesOf(refused) {
			web.AddFlash(c, "error", key)
		}
	}
	return h.respond(c, orgID, serieID, refused)
}
