package paths

// Route patterns of the accounts: sign-up, sign-in, passwords, settings,
// dashboard, ProConnect. The French aliases are registered next to their
// English path and never built.
const (
	SignInPattern              = "/auth/sign-in"
	SignInAlias                = "/authentification/connexion"
	SignOutPattern             = "/auth/sign-out"
	SignUpPattern              = "/auth/sign-up"
	SignUpAlias                = "/authentification/inscription"
	SignUpSentPattern          = "/auth/sign-up/sent"
	SignUpSentAlias            = "/authentification/inscription/envoyee"
	SignUpResendPattern        = "/auth/sign-up/resend"
	SignUpResendAlias          = "/authentification/inscription/renvoyer"
	PasswordRetrievePattern    = "/auth/password/retrieve"
	PasswordRetrieveAlias      = "/authentification/mot-de-passe/recuperer"
	PasswordResetPattern       = "/auth/password/reset"
	PasswordResetAlias         = "/authentification/mot-de-passe/reinitialiser"
	ProConnectPattern          = "/auth/proconnect"
	ProConnectCallbackPattern  = "/auth/proconnect/callback"
	ProConnectSignedOutPattern = "/auth/proconnect/signed-out"
	DashboardPattern           = "/dashboard"
	DashboardAlias             = "/tableau-de-bord"
	SettingsPattern            = "/account/settings"
	SettingsAlias              = "/compte/parametres"
	SettingsProfilePattern     = "/account/settings/profile"
	SettingsPasswordPattern    = "/account/settings/password"
	AccountDeletePattern       = "/account/delete"
	AccountDeleteAlias         = "/compte/supprimer"
)

// SignIn is the sign-in page.
func (Paths) SignIn() string { return SignInPattern }

// SignInWithToken is the sign-in page confirming a sign-up (the link of the
// confirmation email).
func (Paths) SignInWithToken(token string) string { return WithQuery(SignInPattern, "token", token) }

// SignInThenBack is the sign-in page that goes back to callback (a path of
// this site) once signed in.
func (Paths) SignInThenBack(callback string) string {
	return WithQuery(SignInPattern, "callbackUrl", callback)
}

// SignOut signs out (POST).
func (Paths) SignOut() string { return SignOutPattern }

// SignUp is the sign-up page and form.
func (Paths) SignUp() string { return SignUpPattern }

// SignUpSent is the "check your inbox" page after signing up.
func (Paths) SignUpSent() string { return SignUpSentPattern }

// SignUpResend is the "send the confirmation email again" form.
func (Paths) SignUpResend() string { return SignUpResendPattern }

// PasswordRetrieve is the forgotten-password form.
func (Paths) PasswordRetrieve() string { return PasswordRetrievePattern }

// PasswordReset is the new-password form of a reset link; the form itself
// posts to it without a token in the URL ("").
func (Paths) PasswordReset(token string) string {
	return WithQuery(PasswordResetPattern, "token", token)
}

// ProConnect starts a ProConnect sign-in, going back to callback (may be
// empty) once signed in.
func (Paths) ProConnect(callback string) string {
	return WithQuery(ProConnectPattern, "callbackUrl", callback)
}

// ProConnectCallback is where ProConnect sends the browser back.
func (Paths) ProConnectCallback() string { return ProConnectCallbackPattern }

// ProConnectSignedOut is where ProConnect sends the browser after its sign-out.
func (Paths) ProConnectSignedOut() string { return ProConnectSignedOutPattern }

// Dashboard is the signed-in user's home.
func (Paths) Dashboard() string { return DashboardPattern }

// Settings is the account settings page.
func (Paths) Settings() string { return SettingsPattern }

// SettingsProfile saves the profile form (POST).
func (Paths) SettingsProfile() string { return SettingsProfilePattern }

// SettingsPassword saves the change-password form (POST).
func (Paths) SettingsPassword() string { return SettingsPasswordPattern }

// AccountDelete is the account deletion page and action.
func (Paths) AccountDelete() string { return AccountDeletePattern }
