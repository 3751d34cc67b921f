# transports unit tests
