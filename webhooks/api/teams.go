package api

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/team"
)

// ListTeams implements StrictServerInterface.
func (s *Server) ListTeams(ctx context.Context, _ ListTeamsRequestObject) (ListTeamsResponseObject, error) {
	out := TeamList{Items: []Team{}}
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		teams, err := tx.FindTeams(ctx)
		for _, t := range teams {
			out.Items = append(out.Items, teamOf(t))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return ListTeams200JSONResponse(out), nil
}

// ListTeamMembers implements StrictServerInterface: every member of the team reads it.
func (s *Server) ListTeamMembers(ctx context.Context, req ListTeamMembersRequestObject) (ListTeamMembersResponseObject, error) {
	var out MemberList
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		ms, err := tx.FindTeamMembers(ctx, req.Id)
		out.Items = make([]Member, len(ms))
		for i, m := range ms {
			out.Items[i] = memberOf(m)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return ListTeamMembers200JSONResponse(out), nil
}

// SetTeamRole implements StrictServerInterface through team.SetRole: the team's owner alone
// gives roles, as in the chat.
func (s *Server) SetTeamRole(ctx context.Context, req SetTeamRoleRequestObject) (SetTeamRoleResponseObject, error) {
	if req.Body == nil {
		return nil, core.Errorf(core.EINVALID, "a role is needed")
	}
	var out Member
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if err := team.SetRole(ctx, tx, req.Id, req.UserId, string(req.Body.Role)); err != nil {
			return err
		}
		ms, err := tx.FindTeamMembers(ctx, req.Id)
		for _, m := range ms {
			if m.UserID == req.UserId {
				out = memberOf(m)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return SetTeamRole200JSONResponse(out), nil
}

// CreateTeamInvite implements StrictServerInterface: team.NewInvite, for the team's owners and
// admins.
// With an Idempotency-Key the code is made from the user, the team and the key with the
// server's secret, so a retry answers it again while the idempotency record keeps only its
// expiry: no live invite code is stored in the clear.
func (s *Server) CreateTeamInvite(ctx context.Context, req CreateTeamInviteRequestObject) (CreateTeamInviteResponseObject, error) {
	var out Invite
	op := "POST /teams/" + req.Id.String() + "/invites"
	key := req.Params.IdempotencyKey
	if key == nil || len(s.Secret) == 0 {
		err := s.idempotent(ctx, key, op, nil, &out, func(ctx context.Context, tx core.Tx, u *core.User) error {
			inv, err := team.NewInvite(ctx, tx, req.Id)
			out = Invite{Code: inv.Code, ExpiresAt: inv.Expires}
			return err
		})
		if err != nil {
			return nil, err
		}
		return CreateTeamInvite201JSONResponse(out), nil
	}
	user, _ := ctx.Value(userKey{}).(uuid.UUID)
	mac := hmac.New(sha256.New, s.Secret)
	mac.Write([]byte("team invite\x00" + user.String() + "\x00" + req.Id.String() + "\x00" + *key))
	code := core.CodeFrom(mac.Sum(nil))
	var saved struct {
		ExpiresAt time.Time `json:"expires_at"`
	}
	err := s.idempotent(ctx, key, op, nil, &saved, func(ctx context.Context, tx core.Tx, u *core.User) error {
		inv, err := team.NewInviteWith(ctx, tx, req.Id, code)
		saved.ExpiresAt = inv.Expires
		return err
	})
	if err != nil {
		return nil, err
	}
	return CreateTeamInvite201JSONResponse(Invite{Code: core.ShowCode(code), ExpiresAt: saved.ExpiresAt}), nil
}

// JoinTeam implements StrictServerInterface: team.Join.
func (s *Server) JoinTeam(ctx context.Context, req JoinTeamRequestObject) (JoinTeamResponseObject, error) {
	if req.Body == nil || len(req.Body.Code) > 32 {
		return nil, core.Errorf(core.EINVALID, "an invite code is needed")
	}
	var out Team
	err := s.idempotent(ctx, req.Params.IdempotencyKey, "POST /teams/join", req.Body, &out, func(ctx context.Context, tx core.Tx, u *core.User) error {
		id, err := team.Join(ctx, tx, req.Body.Code)
		if err != nil {
			return err
		}
		teams, err := tx.FindTeams(ctx)
		for _, t := range teams {
			if t.ID == id {
				out = teamOf(t)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return JoinTeam200JSONResponse(out), nil
}

func teamOf(t core.Team) Team {
	return Team{Id: t.ID, Name: t.Name, Role: TeamRole(t.Role), Members: t.Members}
}

func memberOf(m core.Member) Member {
	return Member{UserId: m.UserID, Name: m.Name, Role: MemberRole(m.Role), JoinedAt: m.JoinedAt}
}
