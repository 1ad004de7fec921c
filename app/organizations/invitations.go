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
)

// InvitationTTL is how long an invitation link works (decision P6, docs/decisions.md).
const InvitationTTL = 14 * 24 * time.Hour

// Invitation is a pending invitation to join an organization. The row is
// deleted once accepted or revoked.
type Invitation struct {
	bun.BaseModel `bun:"table:organization_invitations"`

	ID              uuid.UUID  `bun:"id,pk,type:uuid,default:gen_random_uuid()"`
	OrganizationID  uuid.UUID  `bun:"organization_id,type:uuid"`
	Email           string     `bun:"email"`
	TokenHash       string     `bun:"token_hash"`
	InvitedByUserID *uuid.UUID `bun:"invited_by_user_id,type:uuid"`
	ExpiresAt       time.Time  `bun:"expires_at"`
	CreatedAt       time.Time  `bun:"created_at,nullzero,default:now()"`
}

// Expired reports whether the invitation stopped working at now.
func (i *Invitation) Expired(now time.Time) bool { return !now.Before(i.ExpiresAt) }

// Inviter is the collaborator sending an invitation, as its email names them.
type Inviter struct {
	ID       uuid.UUID
	FullName string
}

// InviteResult says what an invitation did.
type InviteResult int

// Outcomes of Invite.
const (
	// Joined: the person already had an account and is now a collaborator.
	Joined InviteResult = iota + 1
	// Invited: an invitation email with a link was sent.
	Invited
)

// Invite invites email to org on behalf of inviter (decision P6, docs/decisions.md), a collaborator;
// by is who acts, for the audit log. Someone with a confirmed account joins at
// once and gets the "Bienvenue !" email; anyone else gets an invitation link
// valid 14 days. Inviting the same address again replaces the pending
// invitation (new link, new expiry). A malformed address, or one of a
// collaborator already, is a derrors.Fields.
func (s *Service) Invite(ctx context.Context, inviter Inviter, org *Organization, email string, by audit.Actor) (_ InviteResult, err error) {
	defer derrors.Wrap(&err, "organizations: invite to %s", org.ID)
	errs := derrors.Fields{}
	email = strings.TrimSpace(email)
	if !users.ValidEmail(email) {
		errs.Add("email", "organizations.errors.emailInvalid")
		return 0, errs
	}
	var result InviteResult
	err = db.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		// The users row, read with the model of the users table.
		var user users.User
		err := tx.NewSelect().Model(&user).Where("lower(email) = lower(?)", email).Scan(ctx)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("look for the invited user: %w", err)
		}
		if err == nil {
			member, err := isCollaborator(ctx, tx, org.ID, user.ID)
			if err != nil {
				return err
			}
			if member {
				errs.Add("email", "organizations.errors.alreadyCollaborator")
				return nil
			}
			if user.Status == users.StatusConfirmed {
				result = Joined
				return s.join(ctx, tx, org, user.ID, user.Email, user.FirstName, by)
			}
		}
		result = Invited
		return s.createInvitation(ctx, tx, inviter, org, email, by)
	})
	if err != nil {
		return 0, err
	}
	if errs.Any() {
		return 0, errs
	}
	return result, nil
}

// join adds a user to org, drops their pending invitation and welcomes them.
func (s *Service) join(ctx context.Context, tx bun.Tx, org *Organization, userID uuid.UUID, email, firstName string, by audit.Actor) (err error) {
	defer derrors.Wrap(&err, "organizations: %s joins %s", userID, org.ID)
	if _, err := addCollaborator(ctx, tx, org.ID, userID); err != nil {
		return err
	}
	if _, err := tx.NewDelete().Model((*Invitation)(nil)).
		Where("organization_id = ? AND lower(email) = lower(?)", org.ID, email).Exec(ctx); err != nil {
		return fmt.Errorf("delete the invitation of user %s: %w", userID, err)
	}
	if err := audit.Record(ctx, tx, membershipAudit(by, ActionJoin, org.ID, &userID, email)); err != nil {
		return err
	}
	return mail.Enqueue(ctx, tx, email, mail.WelcomeOrganizationCollaborator{
		FirstName: firstName, OrganizationName: org.Name, DashboardURL: s.BaseURL + paths.To.Organization(org.ID)})
}

// createInvitation creates the invitation of email, or replaces the pending
// one in a single statement, so a double submit cannot hit the unique index.
func (s *Service) createInvitation(ctx context.Context, tx bun.Tx, inviter Inviter, org *Organization, email string, by audit.Actor) (err error) {
	defer derrors.Wrap(&err, "organizations: invite %q to %s", email, org.ID)
	token := tokens.New()
	inv := &Invitation{OrganizationID: org.ID, Email: email, TokenHash: tokens.Hash(token),
		InvitedByUserID: &inviter.ID, ExpiresAt: s.now().Add(InvitationTTL)}
	if _, err := tx.NewInsert().Model(inv).ExcludeColumn("created_at").
		On("CONFLICT (organization_id, lower(email)) DO UPDATE").
		Set("email = EXCLUDED.email, token_hash = EXCLUDED.token_hash, invited_by_user_id = EXCLUDED.invited_by_user_id").
		Set("expires_at = EXCLUDED.expires_at, created_at = now()").
		Exec(ctx); err != nil {
		return fmt.Errorf("insert invitation: %w", err)
	}
	if err := audit.Record(ctx, tx, membershipAudit(by, ActionInvite, org.ID, nil, email)); err != nil {
		return err
	}
	return mail.Enqueue(ctx, tx, email, mail.OrganizationInvitation{InviterName: inviter.FullName,
		OrganizationName: org.Name, AcceptURL: s.BaseURL + paths.To.Invitation(token), ExpiresAt: inv.ExpiresAt})
}

// PendingInvitations lists the invitations of an organization, newest first,
// expired ones included (they can be revoked or sent again).
func PendingInvitations(ctx context.Context, idb bun.IDB, orgID uuid.UUID) ([]Invitation, error) {
	var invs []Invitation
	if err := idb.NewSelect().Model(&invs).Where("organization_id = ?", orgID).Order("created_at DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("organizations: list the invitations of %s: %w", orgID, err)
	}
	return invs, nil
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

// InvitationDetails is an invitation as its landing page shows it.
type InvitationDetails struct {
	Invitation
	OrganizationName string `bun:"organization_name"`
	InviterFirstName string `bun:"inviter_first_name"`
	InviterLastName  string `bun:"inviter_last_name"`
}

// FindInvitation returns the invitation of a link's token, or nil when the
// token is unknown (revoked, accepted or never issued).
func FindInvitation(ctx context.Context, idb bun.IDB, token string) (_ *InvitationDetails, err error) {
	defer derrors.Wrap(&err, "organizations: find invitation")
	if token == "" || len(token) > 100 {
		return nil, nil
	}
	d := new(InvitationDetails)
	err = idb.NewSelect().Model(&d.Invitation).
		ColumnExpr("invitation.*").
		ColumnExpr("o.name AS organization_name, coalesce(u.first_name, '') AS inviter_first_name, coalesce(u.last_name, '') AS inviter_last_name").
		Join("JOIN organizations AS o ON o.id = invitation.organization_id").
		Join("LEFT JOIN users AS u ON u.id = invitation.invited_by_user_id").
		Where("invitation.token_hash = ?", tokens.Hash(token)).
		Scan(ctx, d)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// ErrInvitationInvalid answers a link that no longer works.
var ErrInvitationInvalid = derrors.New(derrors.ErrNotFound, "organizations.invitations.invalid")

// ErrInvitationForAnotherEmail answers a signed-in user following a link sent
// to another address: invitations go to the person who owns the address.
var ErrInvitationForAnotherEmail = derrors.New(derrors.ErrForbidden, "organizations.invitations.anotherEmail")

// AcceptInvitation joins the user userID, whose address is email, to the
// organization of the link's token. The invitation must be for that email and
// not expired.
func (s *Service) AcceptInvitation(ctx context.Context, userID uuid.UUID, email, token string, by audit.Actor) (orgID uuid.UUID, err error) {
	defer derrors.Wrap(&err, "organizations: accept an invitation for user %s", userID)
	err = db.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		inv, err := FindInvitation(ctx, tx, token)
		if err != nil {
			return err
		}
		if inv == nil || inv.Expired(s.now()) {
			return ErrInvitationInvalid
		}
		if !strings.EqualFold(inv.Email, email) {
			return ErrInvitationForAnotherEmail
		}
		orgID = inv.OrganizationID
		return acceptInvitations(ctx, tx, userID, email, []Invitation{inv.Invitation}, by)
	})
	return orgID, err
}

// AcceptPendingInvitations makes userID a collaborator of every organization
// that invited email and whose invitation has not expired, and returns those
// organizations' ids. The accounts domain calls it, in its own transaction,
// once the user has proved they own email (sign-up confirmation), so a person
// invited before having an account lands in the organization.
func AcceptPendingInvitations(ctx context.Context, tx bun.IDB, userID uuid.UUID, email string) (_ []uuid.UUID, err error) {
	defer derrors.Wrap(&err, "organizations: accept the pending invitations of user %s", userID)
	var invs []Invitation
	if err := tx.NewSelect().Model(&invs).Where("lower(email) = lower(?) AND expires_at > now()", email).Scan(ctx); err != nil {
		return nil, err
	}
	// The person confirming their own account is the actor.
	if err := acceptInvitations(ctx, tx, userID, email, invs, audit.Actor{UserID: userID, Email: email}); err != nil {
		return nil, err
	}
	ids := make([]uuid.UUID, len(invs))
	for i, inv := range invs {
		ids[i] = inv.OrganizationID
	}
	return ids, nil
}

func acceptInvitations(ctx context.Context, tx bun.IDB, userID uuid.UUID, email string, invs []Invitation, by audit.Actor) (err error) {
	defer derrors.Wrap(&err, "organizations: accept the invitations of %s", userID)
	for _, inv := range invs {
		if _, err := addCollaborator(ctx, tx, inv.OrganizationID, userID); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*Invitation)(nil)).Where("id = ?", inv.ID).Exec(ctx); err != nil {
			return fmt.Errorf("delete accepted invitation %s: %w", inv.ID, err)
		}
		e := membershipAudit(by, ActionJoin, inv.OrganizationID, &userID, email)
		e.Details["invitation"] = inv.ID.String()
		if err := audit.Record(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}
