package app

import "context"

// seedDemo loads the idempotent demonstration data of dev mode.
func (a *App) seedDemo(ctx context.Context) error {
	return nil
}
