/** The posts pages' own routes, under /posts/*, each its own chunk (the composer carries twitter-text). */
import { lazy } from 'react'
import { Route, Routes } from 'react-router'

const PostsPage = lazy(() => import('./PostsPage'))
const ComposePage = lazy(() => import('./ComposePage'))
const PostPage = lazy(() => import('./PostPage'))

export default function PostsRoutes() {
  return (
    <Routes>
      <Route index element={<PostsPage />} />
      <Route path="new" element={<ComposePage />} />
      <Route path=":id" element={<PostPage />} />
      <Route path=":id/edit" element={<ComposePage />} />
    </Routes>
  )
}
