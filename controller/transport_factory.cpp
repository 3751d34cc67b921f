#include "controller/transport_factory.h"
// Filled in once transports/ssh/ssh_transport.h lands.
