# controller unit tests
