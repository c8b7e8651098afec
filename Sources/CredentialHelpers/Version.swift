/// The version of credtool and docker-credential-swift.
package let credtoolVersion = "0.1.0"
