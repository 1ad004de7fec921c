package paths

// Route patterns of the accounts: sign-up, sign-in, passwords, settings,
// dashboard, ProConnect. The French aliases are registered next to their
// English path and never built.
const (
	SignInRoute                  = "/auth/sign-in"
	SignInFrenchRoute            = "/authentification/connexion"
	SignOutRoute                 = "/auth/sign-out"
	SignUpRoute                  = "/auth/sign-up"
	SignUpFrenchRoute            = "/authentification/inscription"
	SignUpSentRoute              = "/auth/sign-up/sent"
	SignUpSentFrenchRoute        = "/authentification/inscription/envoyee"
	SignUpResendRoute            = "/auth/sign-up/resend"
	SignUpResendFrenchRoute      = "/authentification/inscription/renvoyer"
	PasswordRetrieveRoute        = "/auth/password/retrieve"
	PasswordRetrieveFrenchRoute  = "/authentification/mot-de-passe/recuperer"
	PasswordResetRoute           = "/auth/password/reset"
	PasswordResetFrenchRoute     = "/authentification/mot-de-passe/reinitialiser"
	ProConnectRoute              = "/auth/proconnect"
	ProConnectCallbackRoute      = "/auth/proconnect/callback"
	ProConnectSignedOutRoute     = "/auth/proconnect/signed-out"
	DashboardRoute               = "/dashboard"
	DashboardFrenchRoute         = "/tableau-de-bord"
	SettingsRoute                = "/account/settings"
	SettingsFrenchRoute          = "/compte/parametres"
	SettingsProfileRoute         = "/account/settings/profile"
	SettingsPasswordRoute        = "/account/settings/password"
	AccountDeleteRoute           = "/account/delete"
	AccountDeleteFrenchRoute     = "/compte/supprimer"
	AccountDeleteProConnectRoute = "/account/delete/proconnect"
)

// SignIn is the sign-in page.
func (Paths) SignIn() string { return SignInRoute }

// SignInWithToken is the sign-in page confirming a sign-up (the link of the
// confirmation email).
func (Paths) SignInWithToken(token string) string { return WithQuery(SignInRoute, "token", token) }

// SignInThenBack is the sign-in page that goes back to callback (a path of
// this site) once signed in.
func (Paths) SignInThenBack(callback string) string {
	return WithQuery(SignInRoute, "callbackUrl", callback)
}

// SignOut signs out (POST).
func (Paths) SignOut() string { return SignOutRoute }

// SignUp is the sign-up page and form.
func (Paths) SignUp() string { return SignUpRoute }

// SignUpSent is the "check your inbox" page after signing up.
func (Paths) SignUpSent() string { return SignUpSentRoute }

// SignUpResend is the "send the confirmation email again" form.
func (Paths) SignUpResend() string { return SignUpResendRoute }

// PasswordRetrieve is the forgotten-password form.
func (Paths) PasswordRetrieve() string { return PasswordRetrieveRoute }

// PasswordReset is the new-password form of a reset link; the form itself
// posts to it without a token in the URL ("").
func (Paths) PasswordReset(token string) string {
	return WithQuery(PasswordResetRoute, "token", token)
}

// ProConnect starts a ProConnect sign-in, going back to callback (may be
// empty) once signed in.
func (Paths) ProConnect(callback string) string {
	return WithQuery(ProConnectRoute, "callbackUrl", callback)
}

// ProConnectCallback is where ProConnect sends the browser back.
func (Paths) ProConnectCallback() string { return ProConnectCallbackRoute }

// ProConnectSignedOut is where ProConnect sends the browser after its sign-out.
func (Paths) ProConnectSignedOut() string { return ProConnectSignedOutRoute }

// Dashboard is the signed-in user's home.
func (Paths) Dashboard() string { return DashboardRoute }

// Settings is the account settings page.
func (Paths) Settings() string { return SettingsRoute }

// SettingsProfile saves the profile form (POST).
func (Paths) SettingsProfile() string { return SettingsProfileRoute }

// SettingsPassword saves the change-password form (POST).
func (Paths) SettingsPassword() string { return SettingsPasswordRoute }

// AccountDelete is the account deletion page and action.
func (Paths) AccountDelete() string { return AccountDeleteRoute }

// AccountDeleteProConnect sends a user without password through ProConnect
// again before deleting their account.
func (Paths) AccountDeleteProConnect() string { return AccountDeleteProConnectRoute }
