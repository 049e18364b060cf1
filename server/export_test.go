package server

import "context"

// SearchOwnFSSP is what Serve does first, for tests of nodes that do not
// serve: Reestro checks search the node's own FSSP API.
func SearchOwnFSSP(ctx context.Context, n *Node) error { return n.searchOwnFSSP(ctx) }
