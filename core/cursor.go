package core

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Token is the cursor as the APIs hand it out: opaque, URL-safe.
func (c Cursor) Token() string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d/%s", c.CreatedAt.UnixNano(), c.ID))
}

// ParseCursor reads a Token (EINVALID when it is not one).
func ParseCursor(token string) (Cursor, error) {
	bad := Errorf(EINVALID, "not a cursor of this API")
	if len(token) > 200 {
		return Cursor{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	at, id, ok := strings.Cut(string(raw), "/")
	if err != nil || !ok {
		return Cursor{}, bad
	}
	ns, err1 := strconv.ParseInt(at, 10, 64)
	uid, err2 := uuid.Parse(id)
	if err1 != nil || err2 != nil {
		return Cursor{}, bad
	}
	return Cursor{CreatedAt: time.Unix(0, ns), ID: uid}, nil
}
