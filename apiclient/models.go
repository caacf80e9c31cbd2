package apiclient

import (
	"context"
	"net/url"

	"github.com/opencredit/opencredit/api"
)

// The model registry's routes; operator clients only. The calling operator
// is who the registry records, so approving needs another operator's key
// than the model's author's.

func modelPath(id, rest string) string { return "/v1/models/" + url.PathEscape(id) + rest }

// Models lists the registry, oldest first.
func (c *Client) Models(ctx context.Context) (api.ModelsResponse, error) {
	var out api.ModelsResponse
	err := c.do(ctx, "GET", "/v1/models", nil, &out)
	return out, err
}

// ModelVersion returns one model's record and every change of its state.
func (c *Client) ModelVersion(ctx context.Context, id string) (api.ModelVersionResponse, error) {
	var out api.ModelVersionResponse
	err := c.do(ctx, "GET", modelPath(id, ""), nil, &out)
	return out, err
}

// AddModel adds a model artifact (the JSON `opencredit train` writes,
// model.Model.Save) to the registry as a draft authored by the calling
// operator, under an optional name. The registry's id is the artifact's:
// the same artifact twice is a conflict.
func (c *Client) AddModel(ctx context.Context, artifact []byte, name string) (api.ModelVersionResponse, error) {
	var out api.ModelVersionResponse
	err := c.do(ctx, "POST", "/v1/models", api.ModelAddRequest{Name: name, Model: artifact}, &out)
	return out, err
}

// ApproveModel approves a draft with a justification; overrideFairness is
// the written reason to pass a fairness gate that refuses it, or "".
func (c *Client) ApproveModel(ctx context.Context, id, justification, overrideFairness string) (api.ModelStateResponse, error) {
	var out api.ModelStateResponse
	err := c.do(ctx, "POST", modelPath(id, "/approve"), api.ModelApproveRequest{Justification: justification, OverrideFairness: overrideFairness}, &out)
	return out, err
}

// ActivateModel makes an approved model the one that scores.
func (c *Client) ActivateModel(ctx context.Context, id, note string) (api.ModelStateResponse, error) {
	var out api.ModelStateResponse
	err := c.do(ctx, "POST", modelPath(id, "/activate"), api.ModelActionRequest{Note: note}, &out)
	return out, err
}

// RetireModel retires a draft or an approved model for good.
func (c *Client) RetireModel(ctx context.Context, id, note string) (api.ModelStateResponse, error) {
	var out api.ModelStateResponse
	err := c.do(ctx, "POST", modelPath(id, "/retire"), api.ModelActionRequest{Note: note}, &out)
	return out, err
}

// RollbackModel activates again the model the active one replaced, and
// returns it.
func (c *Client) RollbackModel(ctx context.Context, note string) (api.ModelStateResponse, error) {
	var out api.ModelStateResponse
	err := c.do(ctx, "POST", "/v1/models/rollback", api.ModelActionRequest{Note: note}, &out)
	return out, err
}
