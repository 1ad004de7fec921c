package ticketing

func newShotgun(c Credentials, cfg Config) Connector               { return nil }
func newSupersoniks(s System, c Credentials, cfg Config) Connector { return nil }
