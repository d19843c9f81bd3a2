// integration tests: written next
