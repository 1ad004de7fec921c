package synchronization

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/db"
	"assistant-declaration/app/ticketing"
	"assistant-declaration/config"
)

// ConnectorFactory builds the connector of a system for the user acting (uuid.Nil for the
// nightly job): it decides between the real connector and the mock (decision T11, docs/decisions.md).
type ConnectorFactory func(system ticketing.System, creds ticketing.Credentials, actingUserID uuid.UUID) (ticketing.Connector, error)

// NewConnectorFactory targets the configured base URLs; outside production every system is the
// mock unless the acting user is listed in DisableTicketingMockForUserIDs. base carries the
// tunables (pacing, retries, timeouts) the caller wants; its base URLs are replaced.
func NewConnectorFactory(cfg *config.Config, base ticketing.Config) ConnectorFactory {
	base.BilletwebBaseURL = cfg.BilletwebAPIBaseURL
	base.HelloAssoBaseURL = cfg.HelloAssoAPIBaseURL
	base.MapadoBaseURL = cfg.MapadoAPIBaseURL
	base.ShotgunBaseURL = cfg.ShotgunAPIBaseURL
	base.SupersoniksURLTemplate = cfg.SupersoniksAPIURLTemplate
	base.RefusePrivateAddresses = cfg.IsProd()
	base = base.WithDefaults() // one pair of HTTP clients for every connector
	return func(system ticketing.System, creds ticketing.Credentials, actingUserID uuid.UUID) (ticketing.Connector, error) {
		c := base
		c.Mock = cfg.MocksRemoteServicesFor(actingUserID)
		return ticketing.New(system, creds, c)
	}
}

// Service holds what connecting and synchronizing need: the database, the credentials' cipher, the
// connectors, the logger and the clock. Operations needing only the database are package
// functions taking a bun.IDB instead (systems.go, runs.go), so that they run inside a caller's
// transaction.
type Service struct {
	DB         *db.DB
	Sealer     *Sealer
	Connectors ConnectorFactory
	Logger     *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// NewService builds the service from the configuration.
func NewService(cfg *config.Config, d *db.DB, logger *slog.Logger, base ticketing.Config) (*Service, error) {
	sealer, err := NewSealer(cfg.SecretsEncryptionKey)
	if err != nil {
		return nil, fmt.Errorf("synchronization: new service: %w", err)
	}
	if logger == nil {
		return nil, errors.New("synchronization: nil logger")
	}
	return &Service{DB: d, Sealer: sealer, Connectors: NewConnectorFactory(cfg, base), Logger: logger}, nil
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
