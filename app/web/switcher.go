package web

import "github.com/gofiber/fiber/v2"

// Switcher is the header's menu of the places a signed-in user can switch
// between: their organizations (decision P15, docs/decisions.md). A domain's
// guard sets it with SetSwitcher for the pages under it; the header shows it
// when it is set.
type Switcher struct {
	Items []SwitcherItem
}

// SwitcherItem is one entry of the switcher; Current marks the place the
// page belongs to.
type SwitcherItem struct {
	Name, URL string
	Current   bool
}

const switcherLocal = "web.switcher"

// SetSwitcher gives the request's pages the header's switcher.
func SetSwitcher(c *fiber.Ctx, s *Switcher) { c.Locals(switcherLocal, s) }

func currentSwitcher(c *fiber.Ctx) *Switcher {
	s, _ := c.Locals(switcherLocal).(*Switcher)
	return s
}
