/** Mirror of the backend's user DTO (snake_case, as on the wire). */
export interface User {
  id: string;
  email: string;
  created_at: string;
}

export interface Credentials {
  email: string;
  password: string;
}
