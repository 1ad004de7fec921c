package audit

import (
	"testing"

	"github.com/google/uuid"
)

func TestActorEntry(t *testing.T) {
	admin, user := uuid.New(), uuid.New()
	for _, tc := range []struct {
		name        string
		actor       Actor
		wantActor   *uuid.UUID
		wantSubject *uuid.UUID
	}{
		{"anonymous", Actor{RequestID: "r1"}, nil, nil},
		{"user", Actor{UserID: user, Email: "u@x.fr", RequestID: "r2"}, &user, nil},
		{"admin acting for a user", Actor{UserID: admin, Email: "a@x.fr", OnBehalfOf: &user, OnBehalfOfEmail: "u@x.fr", RequestID: "r3"}, &admin, &user},
	} {
		e := tc.actor.Entry("something")
		if e.Action != "something" || e.RequestID != tc.actor.RequestID {
			t.Errorf("%s: entry %+v", tc.name, e)
		}
		if (e.ActorUserID == nil) != (tc.wantActor == nil) || (e.ActorUserID != nil && *e.ActorUserID != *tc.wantActor) {
			t.Errorf("%s: actor %v, want %v", tc.name, e.ActorUserID, tc.wantActor)
		}
		if (e.SubjectUserID == nil) != (tc.wantSubject == nil) || (e.SubjectUserID != nil && *e.SubjectUserID != *tc.wantSubject) {
			t.Errorf("%s: subject %v, want %v", tc.name, e.SubjectUserID, tc.wantSubject)
		}
		if _, noted := e.Details["on_behalf_of"]; noted != (tc.wantSubject != nil) {
			t.Errorf("%s: on_behalf_of noted = %v", tc.name, noted)
		}
	}
}
