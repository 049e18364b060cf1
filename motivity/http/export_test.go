package http

// What tests of the tus locks across nodes need: the lease an upload's
// lock is, and how long it outlives its holder.
var TusLockName = tusLockName

const TusLease = tusLease
