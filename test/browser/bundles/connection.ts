/** Where a bundle's client points and the bearer token it sends, passed in from the test. */
export interface Connection {
  baseURL: string;
  token: string;
}
