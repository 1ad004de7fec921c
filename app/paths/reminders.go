package paths

// Route patterns of the declaration deadline reminders (package reminders):
// the switch in the account settings, served by package accounts.
const (
	SettingsRemindersRoute = "/account/settings/reminders"
)

// SettingsReminders switches the deadline reminders on or off (POST).
func (Paths) SettingsReminders() string { return SettingsRemindersRoute }
