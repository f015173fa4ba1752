// QSI.Actors: the Akka.NET actors of the server, client and verifier roles.
// The protocol math they call lives in QSI.Protocol and QSI.Federation.
