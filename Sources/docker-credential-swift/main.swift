print("docker-credential-swift")
