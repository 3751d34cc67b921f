# controller e2e tests
