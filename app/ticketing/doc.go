// Package ticketing talks to the ticketing systems organizers sell their tickets with (Billetweb,
// HelloAsso, Mapado, Shotgun, Supersoniks and its white label SoTicket) and returns, for a time
// window, every changed event serie with all its events and complete totals. It does not touch
// the database: the synchronization stores what FetchSeries returns.
//
// The contract is rules S1–S5 and C1–C8 (one per system) with decisions T6–T8 and
// T11, all in docs/decisions.md. Money is decimal.Decimal rounded half-up to cents; tax rates are
// fractions (0.055); instants are UTC. Every failure is a *RemoteError whose Code is stable and
// safe to store and translate; its excerpt never contains credentials.
//
// # Shared mechanisms (use them, do not re-implement them in a connector)
//
//   - remote (httpclient.go): per-attempt timeout, bounded retries of GETs on 5xx/timeouts/network
//     errors, 429 retried after a bounded Retry-After, the token bucket, concurrency bound and
//     Pause of the system's Pacing, error classification (Cloudflare challenge and HTML pages are
//     CodeFirewall) and redaction; getJSON fetches and parses in one call.
//   - query (httpclient.go): ordered, repeatable query parameters.
//   - paginate (paginate.go): one loop for continuation tokens, page numbers and cursors, guarded
//     against endless or non-advancing pagination.
//   - parse.go: bool-ish and num-ish values, strict numbers, ISO and Paris wall-clock dates
//     (Europe/Paris is embedded, independent of the server's zone), decode/decodeList with per-record
//     validate methods checking only the fields the algorithm uses.
//   - money.go: tally (free/paid accounting, incl and excl per ticket, rounding once), the
//     indicative tax rate algorithm, percent and cents conversions.
//
// # Adding a connector
//
//  1. Add the System constant, its Label and CredentialFields (the interface, package
//     synchronization, names their labels and hints) and, if needed, a ValidateCredentials rule in
//     ticketing.go; add its base URL to Config with a default, and its limits to DefaultPacing.
//  2. Write <system>.go: a struct holding a *remote built with newRemote (pass the secrets so
//     excerpts are redacted), one parse<System><Thing>(body []byte) function per response shape
//     built on decode/decodeList, TestConnection (the cheapest authenticated call) and FetchSeries.
//     Return *RemoteError for business errors with a code from errors.go (add one there if none
//     fits, and its translation where the interface renders codes).
//  3. Register it in New.
//  4. Write ticketingtest/<system>.go: an httptest fake embedding *Server (recording, failure
//     injection and path normalization come with it) that checks authentication and serves the
//     reference sample by default, with setters for tests.
//  5. Test against the fake: the sample's expected results to the cent, the query parameters sent,
//     each edge case of the system's rule in docs/decisions.md, and a Fuzz<Parse><System> target over every parser
//     seeded with the samples.
//
// Outside production, New with Config.Mock returns the mock connector (rule C7, docs/decisions.md).
package ticketing
