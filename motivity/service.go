package motivity

// Service holds the platform's rules that take more than one store step;
// the public API, the operator surface and jobs use it alike.
type Service struct {
	Store Store
}

// NewService is the Motivity service over store.
func NewService(store Store) *Service { return &Service{Store: store} }
