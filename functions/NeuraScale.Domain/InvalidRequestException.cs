namespace NeuraScale.Domain;

/// <summary>
/// A request cannot be served as asked: an argument is out of range, an id names nothing the caller may see, a format
/// cannot hold the data. The message names what was wrong and what is allowed, in the words of the request's own
/// arguments, so the caller (a person, a model, a job) can correct it. Retrying the same request cannot succeed.
/// </summary>
public class InvalidRequestException(string message) : Exception(message);
