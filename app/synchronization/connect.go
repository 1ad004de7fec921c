package synchronization

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/ticketing"
	"assistant-declaration/app/users"
)

// Audit actions of this package.
const (
	AuditSystemConnected    = "ticketing_system_connected"
	AuditSystemUpdated      = "ticketing_system_updated"
	AuditSystemDisconnected = "ticketing_system_disconnected"
)

// Form fields besides the credential ones (ticketing.FieldAccessKey, ticketing.FieldSecretKey).
const (
	FieldSystem = "system"
	// FieldForm carries errors about the whole form.
	FieldForm = "form"
)

// ConnectInput is the connect/update form.
type ConnectInput struct {
	OrganizationID uuid.UUID
	// SystemID is the system updated (uuid.Nil when connecting a new one).
	SystemID    uuid.UUID
	System      ticketing.System
	Credentials ticketing.Credentials
	// Actor is the user acting (the impersonated one while impersonating): whether they get the
	// mock connector depends on them. Audit names who did it for the audit log.
	Actor *users.User
	Audit audit.Actor
}

// validate checks the form before any remote call: known system, required and well-formed fields.
func validate(in *ConnectInput) derrors.Fields {
	errs := derrors.Fields{}
	if !slices.Contains(ticketing.Systems(), in.System) {
		errs.Add(FieldSystem, "synchronization.form.systemRequired")
		return errs
	}
	in.Credentials = in.System.Normalize(in.Credentials)
	// Every empty field is flagged at once; the format is checked once all are typed.
	for _, f := range in.System.CredentialFields() {
		value := in.Credentials.AccessKey
		if f.Name == ticketing.FieldSecretKey {
			value = in.Credentials.SecretKey
		}
		if value == "" {
			errs.Add(f.Name, "errors.required")
		}
	}
	if errs.Any() {
		return errs
	}
	var re *ticketing.RemoteError
	if err := in.System.ValidateCredentials(in.Credentials); errors.As(err, &re) {
		errs.Add(re.Field, connectorErrorKey(re.Code))
	}
	return errs
}

// checkRules applies the organization's rules (rule S6, docs/decisions.md): at most
// MaxSystemsPerOrganization live remote systems (the list page's set: MANUAL is not counted), no
// second connection of the same account.
func (s *Service) checkRules(ctx context.Context, idb bun.IDB, in *ConnectInput) (derrors.Fields, error) {
	systems, err := ListSystemsForOrganization(ctx, idb, in.OrganizationID)
	if err != nil {
		return nil, fmt.Errorf("synchronization: check the rules of %s: %w", in.OrganizationID, err)
	}
	errs := derrors.Fields{}
	if in.SystemID == uuid.Nil && len(systems) >= MaxSystemsPerOrganization {
		errs.Add(FieldForm, "synchronization.errors.tooManyOrganizationTicketingSystems")
		return errs, nil
	}
	for _, other := range systems {
		if other.ID == in.SystemID || other.Name != in.System || other.Credentials == nil {
			continue
		}
		creds, err := s.Sealer.Open(other.ID, other.Credentials)
		if err != nil {
			// Unreadable credentials cannot be a duplicate the user could recognize; the
			// synchronization records them as credentialsUnreadable on the system.
			continue
		}
		// Stored before domains were lower-cased, they may still hold capitals.
		creds = in.System.Normalize(creds)
		// The account is identified by the access key, or by the token when there is none (Mapado).
		if in.Credentials.AccessKey != "" && creds.AccessKey == in.Credentials.AccessKey {
			errs.Add(ticketing.FieldAccessKey, "synchronization.errors.alreadyExistingTicketingSystem")
		} else if in.Credentials.AccessKey == "" && creds.SecretKey == in.Credentials.SecretKey {
			errs.Add(ticketing.FieldSecretKey, "synchronization.errors.alreadyExistingTicketingSystem")
		}
	}
	return errs, nil
}

// testConnection asks the remote system whether the credentials work; a refusal is shown next
// to the field it concerns.
func (s *Service) testConnection(ctx context.Context, in *ConnectInput) (derrors.Fields, error) {
	conn, err := s.Connectors(in.System, in.Credentials, in.Actor.ID)
	if err == nil {
		err = conn.TestConnection(ctx)
	}
	if err == nil {
		return nil, nil
	}
	var re *ticketing.RemoteError
	if !errors.As(err, &re) {
		return nil, fmt.Errorf("synchronization: test the %s connection of %s: %w", in.System, in.OrganizationID, err)
	}
	field := re.Field
	if field == "" {
		field = ticketing.FieldSecretKey
	}
	return derrors.Fields{field: SystemErrorKey(in.System, string(re.Code))}, nil
}

// Connect adds a ticketing system to the organization after checking the rules and testing the
// credentials; a derrors.Fields result means nothing was saved.
func (s *Service) Connect(ctx context.Context, in ConnectInput) (_ *System, _ derrors.Fields, err error) {
	defer derrors.Wrap(&err, "synchronization: connect %s to %s", in.System, in.OrganizationID)
	return s.save(ctx, in)
}

// UpdateCredentials replaces the credentials of the organization's live system in.SystemID, named
// in.System (as the caller loaded it), tested first; the synchronization cursor is kept. A system
// gone meanwhile, or not matching, is ErrSystemNotFound.
func (s *Service) UpdateCredentials(ctx context.Context, in ConnectInput) (_ *System, _ derrors.Fields, err error) {
	defer derrors.Wrap(&err, "synchronization: update the credentials of %s", in.SystemID)
	return s.save(ctx, in)
}

func (s *Service) save(ctx context.Context, in ConnectInput) (_ *System, _ derrors.Fields, err error) {
	defer derrors.Wrap(&err, "synchronization: save the %s system %s of %s", in.System, in.SystemID, in.OrganizationID)
	if errs := validate(&in); errs.Any() {
		return nil, errs, nil
	}
	if errs, err := s.checkRules(ctx, s.DB, &in); err != nil || errs.Any() {
		return nil, errs, err
	}
	// The remote call is made outside any transaction: it can take seconds.
	if errs, err := s.testConnection(ctx, &in); err != nil || errs.Any() {
		return nil, errs, err
	}
	sys := &System{ID: in.SystemID, OrganizationID: in.OrganizationID, Name: in.System}
	var errs derrors.Fields
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Serializes the organization's connections so that the rules hold under concurrency.
		if _, err := tx.NewRaw("SELECT 1 FROM organizations WHERE id = ? FOR UPDATE", in.OrganizationID).Exec(ctx); err != nil {
			return fmt.Errorf("lock the organization: %w", err)
		}
		var err error
		if errs, err = s.checkRules(ctx, tx, &in); err != nil || errs.Any() {
			return err
		}
		action := AuditSystemUpdated
		if sys.ID == uuid.Nil {
			action, sys.ID = AuditSystemConnected, uuid.New()
		} else if err := s.keepStoredDomain(ctx, tx, &in); err != nil {
			return err
		}
		if sys.Credentials, err = s.Sealer.Seal(sys.ID, in.Credentials); err != nil {
			return fmt.Errorf("seal the credentials: %w", err)
		}
		if action == AuditSystemConnected {
			_, err = tx.NewInsert().Model(sys).ExcludeColumn("created_at", "updated_at").Returning("*").Exec(ctx)
		} else {
			err = tx.NewUpdate().Model(sys).WherePK().
				Where("organization_id = ? AND name = ? AND deleted_at IS NULL", sys.OrganizationID, sys.Name).
				Column("credentials").Set("updated_at = now()").Returning("*").Scan(ctx)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrSystemNotFound
			}
		}
		if err != nil {
			return fmt.Errorf("write the system: %w", err)
		}
		return recordAudit(ctx, tx, action, sys, &in)
	})
	if err != nil || errs.Any() {
		return nil, errs, err
	}
	return sys, nil, nil
}

// keepStoredDomain keeps the spelling of the stored domain when the same one is typed again, so
// that the series ids of the system do not change (ticketing.System.KeepStoredDomain).
func (s *Service) keepStoredDomain(ctx context.Context, idb bun.IDB, in *ConnectInput) error {
	sys, err := getSystem(ctx, idb, in.OrganizationID, in.SystemID)
	if err != nil {
		return err
	}
	stored, err := s.Sealer.Open(sys.ID, sys.Credentials)
	if err != nil {
		// Unreadable credentials are replaced by the typed ones, which the connection test accepted.
		return nil
	}
	in.Credentials = in.System.KeepStoredDomain(in.Credentials, stored)
	return nil
}

// Disconnect soft-deletes the organization's system in.SystemID: its credentials are erased, its
// series kept (rule S7, docs/decisions.md).
func Disconnect(ctx context.Context, idb bun.IDB, in ConnectInput) error {
	err := idb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		sys, err := getSystem(ctx, tx, in.OrganizationID, in.SystemID)
		if err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(sys).WherePK().
			Set("deleted_at = now(), credentials = NULL, updated_at = now()").Exec(ctx); err != nil {
			return fmt.Errorf("soft-delete: %w", err)
		}
		return recordAudit(ctx, tx, AuditSystemDisconnected, sys, &in)
	})
	if err != nil {
		return fmt.Errorf("synchronization: disconnect system %s of %s: %w", in.SystemID, in.OrganizationID, err)
	}
	return nil
}

func recordAudit(ctx context.Context, tx bun.Tx, action string, sys *System, in *ConnectInput) error {
	e := in.Audit.Entry(action)
	e.OrganizationID = &sys.OrganizationID
	e.Details["ticketing_system_id"], e.Details["system"] = sys.ID, sys.Name
	if err := audit.Record(ctx, tx, e); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}
