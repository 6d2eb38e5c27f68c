// Package team is what a member does with their team outside its chat: invite people with a
// one-time code, join with one, and — the owner — give members roles. Each operation checks the
// caller's role first, for a clear refusal; the database checks it again and decides.
package team

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
)

// InviteTTL is how long an invite code works.
const InviteTTL = 7 * 24 * time.Hour

// Invite is an invite code to a team, as people see it (ABCD-EFGH), and when it stops working.
type Invite struct {
	Code    string
	Expires time.Time
}

// ErrNotAdmin refuses an invite from a plain member.
var ErrNotAdmin = core.Errorf(core.EFORBIDDEN, "only the team's owners and admins invite")

// ErrNotOwner refuses a role change from anyone but the team's owner (as in the chat).
var ErrNotOwner = core.Errorf(core.EFORBIDDEN, "only the team's owner changes roles")

// NewInvite makes a one-time invite code to team id, for its owners and admins; ENOTFOUND for
// a team the user is not in.
func NewInvite(ctx context.Context, tx core.Tx, id uuid.UUID) (Invite, error) {
	code, err := core.NewCode()
	if err != nil {
		return Invite{}, err
	}
	return NewInviteWith(ctx, tx, id, code)
}

// NewInviteWith is NewInvite with the code given (core.CodeFrom).
func NewInviteWith(ctx context.Context, tx core.Tx, id uuid.UUID, code string) (Invite, error) {
	role, err := roleIn(ctx, tx, id)
	if err != nil {
		return Invite{}, err
	}
	if role != core.TeamOwner && role != core.TeamAdmin {
		return Invite{}, ErrNotAdmin
	}
	expires := tx.Now().Add(InviteTTL)
	if err := tx.CreateTeamInvite(ctx, id, code, expires); err != nil {
		return Invite{}, err
	}
	return Invite{Code: core.ShowCode(code), Expires: expires}, nil
}

// Join makes the user a member of the team of invite code (any case, dashes ignored) and
// returns the team; ENOTFOUND for a code used, expired or never made.
func Join(ctx context.Context, tx core.Tx, code string) (uuid.UUID, error) {
	return tx.RedeemTeamInvite(ctx, core.NormalizeCode(code))
}

// SetRole gives member userID of team id a role, as its owner alone may; handing over ownership
// makes the owner an admin. ENOTFOUND for a team the user is not in, or a person not in it.
func SetRole(ctx context.Context, tx core.Tx, id, userID uuid.UUID, role string) error {
	if !slices.Contains([]string{core.TeamOwner, core.TeamAdmin, core.TeamMember}, role) {
		return core.Errorf(core.EINVALID, "a role is owner, admin or member")
	}
	mine, err := roleIn(ctx, tx, id)
	if err != nil {
		return err
	}
	if mine != core.TeamOwner {
		return ErrNotOwner
	}
	return tx.SetMemberRole(ctx, id, userID, role)
}

// roleIn is the user's role in team id, ENOTFOUND when they are not in it.
func roleIn(ctx context.Context, tx core.Tx, id uuid.UUID) (string, error) {
	role, err := tx.TeamRole(ctx, id)
	if err == nil && role == "" {
		err = core.Errorf(core.ENOTFOUND, "team not found")
	}
	return role, err
}
