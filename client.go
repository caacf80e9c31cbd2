package opencredit

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strings"
	"time"
)

// Roles an API client acts in. The role decides which routes the client may
// call; consents and, for a lender, Purposes decide which subjects it reaches.
const (
	RoleFurnisher = "furnisher" // sends events about subjects that consented to furnishing
	RoleLender    = "lender"    // pulls scores and decisions for its permitted purposes
	RoleOperator  = "operator"  // runs the service: models, programs, audit
	RoleSubject   = "subject"   // a person reaching their own data, and only theirs
)

// Roles lists every role a client may have.
var Roles = []string{RoleFurnisher, RoleLender, RoleOperator, RoleSubject}

// Client is a caller of the API, known by its API key. The store keeps only
// the key's hash, never the key.
type Client struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Role string `json:"role"`
	// Purposes are the permissible purposes a lender may pull scores for;
	// empty for every other role.
	Purposes []string `json:"purposes,omitempty"`
	// Subject is, for role subject, the only subject the client may reach;
	// empty for every other role.
	Subject   string     `json:"subject,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"` // set when the key stops working
}

// Validate checks a client's id, name, role, purposes and subject.
func (c Client) Validate() error {
	if err := CheckID("client id", c.ID); err != nil {
		return err
	}
	if c.ID == PlatformSource {
		return Errorf(EINVALID, "client id %q is reserved for the platform's own records", c.ID)
	}
	if len(c.Name) > MaxIDBytes {
		return Errorf(EINVALID, "client %s: name is longer than %d bytes", c.ID, MaxIDBytes)
	}
	known := false
	for _, r := range Roles {
		known = known || c.Role == r
	}
	if !known {
		return Errorf(EINVALID, "client %s: role %q is not one of furnisher, lender, operator, subject", c.ID, c.Role)
	}
	if len(c.Purposes) > 0 && c.Role != RoleLender {
		return Errorf(EINVALID, "client %s: only a lender has permitted purposes, not a %s", c.ID, c.Role)
	}
	seen := map[string]bool{}
	for _, p := range c.Purposes {
		if !slices.Contains(LenderPurposes(), p) {
			return Errorf(EINVALID, "client %s: purpose %q is not one a lender may be permitted: %s", c.ID, p, strings.Join(LenderPurposes(), ", "))
		}
		if seen[p] {
			return Errorf(EINVALID, "client %s: purpose %s is given twice", c.ID, p)
		}
		seen[p] = true
	}
	if c.Role == RoleSubject {
		if err := CheckID("client "+c.ID+": subject", c.Subject); err != nil {
			return err
		}
	} else if c.Subject != "" {
		return Errorf(EINVALID, "client %s: only a client of role subject is bound to a subject, not a %s", c.ID, c.Role)
	}
	if err := CheckTime("client creation time", c.CreatedAt); err != nil {
		return err
	}
	if c.RevokedAt != nil {
		if err := CheckTime("client revocation time", *c.RevokedAt); err != nil {
			return err
		}
	}
	return nil
}

// APIKeyPrefix starts every API key, so a leaked key is recognisable by
// secret scanners and in logs.
const APIKeyPrefix = "oc_"

// NewAPIKey returns a new API key, "oc_" and 32 random bytes in unpadded
// base64url, and the hash the store keeps in its place (HashAPIKey). The
// key is shown to its holder once and stored nowhere.
func NewAPIKey() (key string, hash []byte, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, &Error{Code: EINTERNAL, Message: "cannot draw an API key", Err: err}
	}
	key = APIKeyPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return key, HashAPIKey(key), nil
}

// HashAPIKey returns the SHA-256 of the key's text, the form in which stores
// keep and look up keys.
//
// A fast, unsalted hash is right here, unlike for passwords: a key holds 256
// random bits, so no dictionary or brute-force search of the key space is
// feasible however fast each guess is, and a slow hash (bcrypt, Argon2) would
// only add its cost to every API request. Being unsalted and deterministic
// is what lets the store find a client by the hash of the presented key with
// one index probe.
func HashAPIKey(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}

// LooksLikeAPIKey reports whether s has the form NewAPIKey gives keys; a
// server can refuse anything else before touching the store.
func LooksLikeAPIKey(s string) bool {
	rest, ok := strings.CutPrefix(s, APIKeyPrefix)
	if !ok || len(rest) != base64.RawURLEncoding.EncodedLen(32) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}

// CheckKeyHash rejects anything but a SHA-256 digest, what HashAPIKey returns.
func CheckKeyHash(hash []byte) error {
	if len(hash) != sha256.Size {
		return Errorf(EINVALID, "an API key hash has %d bytes, want %d (SHA-256)", len(hash), sha256.Size)
	}
	return nil
}

// CheckNewClient is what every store checks before it registers a client:
// a valid client, not revoked yet, under a SHA-256 key hash.
func CheckNewClient(c Client, keyHash []byte) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if err := CheckKeyHash(keyHash); err != nil {
		return err
	}
	if c.RevokedAt != nil {
		return Errorf(EINVALID, "client %s: a new client cannot be revoked already", c.ID)
	}
	return nil
}
