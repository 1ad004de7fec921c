// Package admin is the back office over the other domains (decision P8, docs/decisions.md):
// organizations and users with search, filters, sort, pagination and CSV
// export, disabling users (decision P7, docs/decisions.md), impersonation (P9) and the audit log. Every
// route is behind web.RequireAdmin except stopping an impersonation, which
// the impersonating admin must reach while acting as someone else. Admin reads
// the other domains' tables; it writes them only through their owners'
// functions (users, organizations, audit, web's sessions, mail).
package admin
