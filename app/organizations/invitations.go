package organizations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/db"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/paths"
	tokens "assistant-declaration/app/token"
	"assistant-declaration/app/users"
	"assistant-declaration/app/web"
)

// InvitationTTL is how long an invitation link works (decision P6, docs/decisions.md).
const InvitationTTL = 14 * 24 * time.Hour

// Invitation is a pending invitation to join an organization. The row is
// deleted once accepted or revoked.
type Invitation struct {
	bun.BaseModel `bun:"table:organization_invitations"`

	ID              uuid.UUID  `bun:"id,pk,type:uuid,default:gen_random_uuid()" json:"id"`
	OrganizationID  uuid.UUID  `bun:"organization_id,type:uuid" json:"-"`
	Email           string     `bun:"email" json:"email"`
	TokenHash       string     `bun:"token_hash" json:"-"`
	InvitedByUserID *uuid.UUID `bun:"invited_by_user_id,type:uuid" json:"-"`
	ExpiresAt       time.Time  `bun:"expires_at" json:"expires_at"`
	CreatedAt       time.Time  `bun:"created_at,nullzero,default:now()" json:"created_at"`
}

// Expired reports whether the invitation stopped working at now.
func (i *Invitation) Expired(now time.Time) bool { return !now.Before(i.ExpiresAt) }

// Inviter is the collaborator sending an invitation, as its email names them.
type Inviter struct {
	ID       uuid.UUID
	FullName string
}

// Invitation rate limits (decision P16, docs/decisions.md): counted in
// kv_storage, so every instance shares them. A collaborator inviting a team
// sends a handful at once; a burst of dozens is someone using the emails,
// which carry the organization's name, against strangers.
var (
	invitationsPerInviter      = web.Limit{Name: "invite-user", Max: 10, Window: time.Hour}
	invitationsPerOrganization = web.Limit{Name: "invite-organization", Max: 30, Window: 24 * time.Hour}
)

// ErrTooManyInvitations answers an inviter or organization over its limit.
var ErrTooManyInvitations = derrors.New(derrors.ErrTooMany, "organizations.invitations.tooMany")

// hitInvitationLimits counts one invitation of inviterID for orgID, and
// refuses it when either limit is exceeded. It runs outside the invitation's
// transaction so refused attempts count too.
func (s *Service) hitInvitationLimits(ctx context.Context, inviterID, orgID uuid.UUID) error {
	now := s.now()
	for _, hit := range []struct {
		limit web.Limit
		key   uuid.UUID
	}{{invitationsPerInviter, inviterID}, {invitationsPerOrganization, orgID}} {
		wait, err := web.HitLimit(ctx, s.DB, hit.limit, hit.key.String(), now)
		if err != nil {
			return err
		}
		if wait > 0 {
			return ErrTooManyInvitations
		}
	}
	return nil
}

// Invite invites email to org on behalf of inviter, a collaborator; by is who
// acts, for the audit log. Whether or not the address has an account, the
// invited person gets the same email with a link valid 14 days and must accept
// it themselves (decision P16, docs/decisions.md): nobody joins here, and the
// inviter learns nothing about the address. A malformed address, one of a
// collaborator already (the inviter sees them listed) or one with a pending
// invitation (listed too) is a derrors.Fields; an expired invitation is
// replaced. Too many invitations are ErrTooManyInvitations.
func (s *Service) Invite(ctx context.Context, inviter Inviter, org *Organization, email string, by audit.Actor) (err error) {
	defer derrors.Wrap(&err, "organizations: invite to %s", org.ID)
	errs := derrors.Fields{}
	email = strings.TrimSpace(email)
	if !users.ValidEmail(email) {
		errs.Add("email", "organizations.errors.emailInvalid")
		return errs
	}
	if err := s.hitInvitationLimits(ctx, inviter.ID, org.ID); err != nil {
		return err
	}
	err = db.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		member, err := tx.NewSelect().Model((*Collaborator)(nil)).
			Join("JOIN users AS u ON u.id = collaborator.user_id").
			Where("collaborator.organization_id = ? AND lower(u.email) = lower(?)", org.ID, email).Exists(ctx)
		if err != nil {
			return fmt.Errorf("look for a collaborator with the address: %w", err)
		}
		if member {
			errs.Add("email", "organizations.errors.alreadyCollaborator")
			return nil
		}
		created, err := s.createInvitation(ctx, tx, inviter, org, email, by)
		if err == nil && !created {
			errs.Add("email", "organizations.errors.invitationPending")
		}
		return err
	})
	if err != nil {
		return err
	}
	return errs.Err()
}

// createInvitation creates the invitation of email, or replaces an expired
// one, in a single statement; created is false when a pending invitation is
// already there, so two submits at once send one email.
func (s *Service) createInvitation(ctx context.Context, tx bun.Tx, inviter Inviter, org *Organization, email string, by audit.Actor) (created bool, err error) {
	defer derrors.Wrap(&err, "organizations: invite %q to %s", email, org.ID)
	token := tokens.New()
	now := s.now()
	inv := &Invitation{OrganizationID: org.ID, Email: email, TokenHash: tokens.Hash(token),
		InvitedByUserID: &inviter.ID, ExpiresAt: now.Add(InvitationTTL)}
	res, err := tx.NewInsert().Model(inv).ExcludeColumn("created_at").
		On("CONFLICT (organization_id, lower(email)) DO UPDATE").
		Set("email = EXCLUDED.email, token_hash = EXCLUDED.token_hash, invited_by_user_id = EXCLUDED.invited_by_user_id").
		Set("expires_at = EXCLUDED.expires_at, created_at = now()").
		Where("invitation.expires_at <= ?", now).
		Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("insert invitation: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if err := audit.Record(ctx, tx, membershipAudit(by, ActionInvite, org.ID, nil, email)); err != nil {
		return false, err
	}
	return true, mail.Enqueue(ctx, tx, email, mail.OrganizationInvitation{InviterName: inviter.FullName,
		OrganizationName: org.Name, AcceptURL: s.BaseURL + paths.To.Invitation(token), ExpiresAt: inv.ExpiresAt})
}

// RevokeInvitation deletes a pending invitation of org; found is false when
// org has no such invitation.
func RevokeInvitation(ctx context.Context, idb bun.IDB, orgID, invitationID uuid.UUID, by audit.Actor) (found bool, err error) {
	defer derrors.Wrap(&err, "organizations: revoke invitation %s of %s", invitationID, orgID)
	err = db.RunInTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		var email string
		err := tx.NewDelete().Model((*Invitation)(nil)).Where("id = ? AND organization_id = ?", invitationID, orgID).
			Returning("email").Scan(ctx, &email)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		return audit.Record(ctx, tx, membershipAudit(by, ActionInvitationRevoke, orgID, nil, email))
	})
	return found, err
}

// InvitationDetails is an invitation as its landing page and the invited
// person's dashboard show it.
type InvitationDetails struct {
	Invitation
	OrganizationName string `bun:"organization_name"`
	InviterFirstName string `bun:"inviter_first_name"`
	InviterLastName  string `bun:"inviter_last_name"`
}

// InviterName is the name of who invited, empty when their account is gone.
func (d *InvitationDetails) InviterName() string {
	return strings.TrimSpace(d.InviterFirstName + " " + d.InviterLastName)
}

func selectInvitationDetails(idb bun.IDB, into any) *bun.SelectQuery {
	return idb.NewSelect().Model(into).
		ColumnExpr("invitation.*").
		ColumnExpr("o.name AS organization_name, coalesce(u.first_name, '') AS inviter_first_name, coalesce(u.last_name, '') AS inviter_last_name").
		Join("JOIN organizations AS o ON o.id = invitation.organization_id").
		Join("LEFT JOIN users AS u ON u.id = invitation.invited_by_user_id")
}

// FindInvitation returns the invitation of a link's token, or nil when the
// token is unknown (revoked, accepted, declined or never issued).
func FindInvitation(ctx context.Context, idb bun.IDB, token string) (_ *InvitationDetails, err error) {
	defer derrors.Wrap(&err, "organizations: find invitation")
	if token == "" || len(token) > 100 {
		return nil, nil
	}
	d := new(InvitationDetails)
	err = selectInvitationDetails(idb, &d.Invitation).Where("invitation.token_hash = ?", tokens.Hash(token)).Scan(ctx, d)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// InvitationsFor lists the invitations to email that still work, oldest
// first: the notices of the invited person's dashboard (package accounts).
func InvitationsFor(ctx context.Context, idb bun.IDB, email string) ([]InvitationDetails, error) {
	var invs []InvitationDetails
	err := selectInvitationDetails(idb, (*Invitation)(nil)).
		Where("lower(invitation.email) = lower(?) AND invitation.expires_at > now()", email).
		OrderExpr("invitation.created_at, invitation.id").
		Scan(ctx, &invs)
	if err != nil {
		return nil, fmt.Errorf("organizations: list the invitations to %q: %w", email, err)
	}
	return invs, nil
}

// ErrInvitationInvalid answers a link that no longer works.
var ErrInvitationInvalid = derrors.New(derrors.ErrNotFound, "organizations.invitations.invalid")

// ErrInvitationForAnotherEmail answers a signed-in user following a link sent
// to another address: invitations go to the person who owns the address.
var ErrInvitationForAnotherEmail = derrors.New(derrors.ErrForbidden, "organizations.invitations.anotherEmail")

// Invitee is the signed-in person answering an invitation.
type Invitee struct {
	ID        uuid.UUID
	Email     string
	FirstName string
}

// AcceptInvitation joins invitee to the organization of the link's token. The
// invitation must be for invitee's address and not expired. Belonging to
// other organizations is fine (decision P15, docs/decisions.md).
func (s *Service) AcceptInvitation(ctx context.Context, invitee Invitee, token string, by audit.Actor) (orgID uuid.UUID, err error) {
	defer derrors.Wrap(&err, "organizations: accept an invitation for user %s", invitee.ID)
	err = db.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		inv, err := FindInvitation(ctx, tx, token)
		if err != nil {
			return err
		}
		if inv == nil || inv.Expired(s.now()) {
			return ErrInvitationInvalid
		}
		if !strings.EqualFold(inv.Email, invitee.Email) {
			return ErrInvitationForAnotherEmail
		}
		orgID = inv.OrganizationID
		return s.accept(ctx, tx, invitee, inv, by)
	})
	return orgID, err
}

// invitationOf returns the invitation id addressed to email that still works,
// locked for the answer, or ErrInvitationInvalid: someone else's invitation is
// as unknown as a missing one.
func (s *Service) invitationOf(ctx context.Context, tx bun.Tx, id uuid.UUID, email string) (*InvitationDetails, error) {
	d := new(InvitationDetails)
	err := selectInvitationDetails(tx, &d.Invitation).
		Where("invitation.id = ? AND lower(invitation.email) = lower(?) AND invitation.expires_at > ?", id, email, s.now()).
		For("UPDATE OF invitation").Scan(ctx, d)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrInvitationInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("find invitation %s: %w", id, err)
	}
	return d, nil
}

// AcceptInvitationByID joins invitee to the organization of the invitation
// id, addressed to them: the accept button of their dashboard's notice.
func (s *Service) AcceptInvitationByID(ctx context.Context, invitee Invitee, id uuid.UUID, by audit.Actor) (orgID uuid.UUID, err error) {
	defer derrors.Wrap(&err, "organizations: user %s accepts invitation %s", invitee.ID, id)
	err = db.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		inv, err := s.invitationOf(ctx, tx, id, invitee.Email)
		if err != nil {
			return err
		}
		orgID = inv.OrganizationID
		return s.accept(ctx, tx, invitee, inv, by)
	})
	return orgID, err
}

// DeclineInvitation deletes the invitation id, addressed to invitee, who does
// not want to join: the inviters see it gone from their pending list.
func (s *Service) DeclineInvitation(ctx context.Context, invitee Invitee, id uuid.UUID, by audit.Actor) (err error) {
	defer derrors.Wrap(&err, "organizations: user %s declines invitation %s", invitee.ID, id)
	return db.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		inv, err := s.invitationOf(ctx, tx, id, invitee.Email)
		if err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*Invitation)(nil)).Where("id = ?", inv.ID).Exec(ctx); err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		return audit.Record(ctx, tx, membershipAudit(by, ActionInvitationDecline, inv.OrganizationID, &invitee.ID, invitee.Email))
	})
}

// accept adds invitee to the organization of inv, deletes inv and welcomes
// them by email.
func (s *Service) accept(ctx context.Context, tx bun.Tx, invitee Invitee, inv *InvitationDetails, by audit.Actor) error {
	if _, err := addCollaborator(ctx, tx, inv.OrganizationID, invitee.ID); err != nil {
		return err
	}
	if _, err := tx.NewDelete().Model((*Invitation)(nil)).Where("id = ?", inv.ID).Exec(ctx); err != nil {
		return fmt.Errorf("delete accepted invitation %s: %w", inv.ID, err)
	}
	e := membershipAudit(by, ActionJoin, inv.OrganizationID, &invitee.ID, invitee.Email)
	e.Details["invitation"] = inv.ID.String()
	if err := audit.Record(ctx, tx, e); err != nil {
		return err
	}
	return mail.Enqueue(ctx, tx, invitee.Email, mail.WelcomeOrganizationCollaborator{FirstName: invitee.FirstName,
		OrganizationName: inv.OrganizationName, DashboardURL: s.BaseURL + paths.To.Organization(inv.OrganizationID)})
}
