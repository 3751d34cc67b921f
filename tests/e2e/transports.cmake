# transports e2e tests
