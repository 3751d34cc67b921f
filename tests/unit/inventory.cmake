# inventory unit tests
