import Foundation
import RegistryCLI

exit(RegistryMain.run())
